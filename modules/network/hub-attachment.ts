/**
 * Attaches a VPC to the hub Transit Gateway through its transit subnets, from the VPC's own
 * account, and finishes the hub side from the same stack through a provider for the network
 * account: accepting the attachment (when the hub does not auto-accept), associating it with
 * its segment's route table and propagating its range into the route tables that reach it.
 * Then every workload route table of the VPC sends the reachable ranges to the gateway.
 *
 * No manual step and no dependency from the hub stack back to the VPC stack.
 */
import { Construct } from 'constructs';
import type { ITerraformDependable, TerraformProvider } from 'cdktf';
import { Ec2TransitGatewayVpcAttachment } from '@cdktf/provider-aws/lib/ec2-transit-gateway-vpc-attachment';
import { Ec2TransitGatewayVpcAttachmentAccepter } from '@cdktf/provider-aws/lib/ec2-transit-gateway-vpc-attachment-accepter';
import { Ec2TransitGatewayRouteTableAssociation } from '@cdktf/provider-aws/lib/ec2-transit-gateway-route-table-association';
import { Ec2TransitGatewayRouteTablePropagation } from '@cdktf/provider-aws/lib/ec2-transit-gateway-route-table-propagation';
import { Ec2Tag } from '@cdktf/provider-aws/lib/ec2-tag';
import type { Route } from '@cdktf/provider-aws/lib/route';
import { terraformId } from '../core/naming';
import type { TieredVpc } from './vpc';
import type { TransitDestination } from './segmentation';
import { protect } from '../core/protection';

export interface HubAttachmentProps {
  readonly vpc: TieredVpc;
  readonly transitGatewayId: string;
  /** The hub route table the attachment is associated with (its segment's). */
  readonly associationRouteTableId: string;
  /** Hub route tables the VPC range is propagated into, by name (`shared`, `on_premises`). */
  readonly propagationRouteTableIds: Readonly<Record<string, string>>;
  /** Ranges every workload route table of the VPC sends to the gateway. */
  readonly destinations: readonly TransitDestination[];
  /**
   * Provider of the network (hub) account, for the hub-side resources.
   * @default - the scope's default provider: the VPC is in the hub account
   */
  readonly hubProvider?: TerraformProvider;
  /**
   * Tag of the attachment's hub side, set by the accepter (or, when the hub auto-accepts, by an
   * `aws_ec2_tag` in the hub account) before the association: the hub's attachment role for this
   * spoke (SpokeAttachmentRoles) works only on attachments carrying it. Required with hubProvider.
   * @default - none: the VPC is in the hub account
   */
  readonly hubOwnerTag?: { readonly key: string; readonly value: string };
  /**
   * Accept the attachment on the hub side (cross-account attachments to a hub that does not
   * auto-accept). Requires hubProvider.
   * @default false
   */
  readonly acceptOnHub?: boolean;
}

export class HubAttachment extends Construct {
  readonly attachment: Ec2TransitGatewayVpcAttachment;
  readonly accepter?: Ec2TransitGatewayVpcAttachmentAccepter;
  readonly association: Ec2TransitGatewayRouteTableAssociation;
  readonly propagations: Readonly<Record<string, Ec2TransitGatewayRouteTablePropagation>>;
  readonly routes: readonly Route[];

  constructor(scope: Construct, id: string, props: HubAttachmentProps) {
    if (props.acceptOnHub && !props.hubProvider) {
      throw new Error(`HubAttachment ${id}: acceptOnHub needs hubProvider (the network account's provider); got acceptOnHub true and no hubProvider`);
    }
    if (props.hubProvider && !props.hubOwnerTag) {
      throw new Error(`HubAttachment ${id}: hubProvider needs hubOwnerTag (the tag the hub's attachment role for this spoke requires); got none`);
    }
    const transitSubnets = props.vpc.subnetsOf('transit');
    if (transitSubnets.length === 0) throw new Error(`HubAttachment ${id}: vpc ${props.vpc.node.id} has no transit subnets`);
    super(scope, id);
    const hub = props.hubProvider ? { provider: props.hubProvider } : {};
    // Written as the provider reads them back (guardrail PLAT-DRIFT-2, DEFAULT_ROUTE_TABLE_FLAG_READ_BACK).
    const defaultRouteTable = props.hubProvider ? DEFAULT_ROUTE_TABLE_FLAG_READ_BACK.sharedThroughRam : DEFAULT_ROUTE_TABLE_FLAG_READ_BACK.hubAccount;

    this.attachment = new Ec2TransitGatewayVpcAttachment(this, 'Resource', {
      transitGatewayId: props.transitGatewayId,
      vpcId: props.vpc.vpc.id,
      subnetIds: transitSubnets.map((subnet) => subnet.subnet.id),
      dnsSupport: 'enable',
      applianceModeSupport: 'disable',
      transitGatewayDefaultRouteTableAssociation: defaultRouteTable,
      transitGatewayDefaultRouteTablePropagation: defaultRouteTable,
      tags: { Name: `${props.vpc.name}-tgw-attachment` },
    });
    protect(this.attachment, `Transit Gateway attachment of ${props.vpc.name}: the VPC loses every route through the hub`);
    let attachmentId = this.attachment.id;
    const ownerTag = props.hubOwnerTag;
    // Hub-side resources wait for the owner tag: the hub role admits only attachments carrying it.
    const tagged: ITerraformDependable[] = [];
    if (props.acceptOnHub) {
      this.accepter = new Ec2TransitGatewayVpcAttachmentAccepter(this, 'accepter', {
        ...hub,
        transitGatewayAttachmentId: this.attachment.id,
        transitGatewayDefaultRouteTableAssociation: false,
        transitGatewayDefaultRouteTablePropagation: false,
        tags: { Name: `${props.vpc.name}-tgw-attachment`, ...(ownerTag ? { [ownerTag.key]: ownerTag.value } : {}) },
      });
      protect(this.accepter, `hub side of the attachment of ${props.vpc.name}: the VPC loses every route through the hub`);
      attachmentId = this.accepter.id;
    } else if (props.hubProvider && ownerTag) {
      tagged.push(new Ec2Tag(this, 'hub_owner_tag', { ...hub, resourceId: this.attachment.id, key: ownerTag.key, value: ownerTag.value }));
    }
    this.association = new Ec2TransitGatewayRouteTableAssociation(this, 'association', {
      ...hub,
      transitGatewayAttachmentId: attachmentId,
      transitGatewayRouteTableId: props.associationRouteTableId,
      replaceExistingAssociation: true,
      ...(tagged.length > 0 ? { dependsOn: tagged } : {}),
    });
    const propagations: Record<string, Ec2TransitGatewayRouteTablePropagation> = {};
    for (const [name, routeTableId] of Object.entries(props.propagationRouteTableIds)) {
      propagations[name] = new Ec2TransitGatewayRouteTablePropagation(this, terraformId('propagation', name), {
        ...hub,
        transitGatewayAttachmentId: attachmentId,
        transitGatewayRouteTableId: routeTableId,
        ...(tagged.length > 0 ? { dependsOn: tagged } : {}),
      });
    }
    this.propagations = propagations;
    const ready: ITerraformDependable[] = [this.accepter ?? this.attachment];
    this.routes = props.vpc.addTransitGatewayRoutes(props.transitGatewayId, props.destinations, ready);
  }
}

/**
 * `transit_gateway_default_route_table_association` / `_propagation` of the attachment, set to
 * what the AWS provider reads back so the next plan is empty (the schema default is true):
 * - in the hub's own account the provider reads the gateway's default route tables; the hub has
 *   none (TransitGatewayHub disables both), so it reads false;
 * - for a gateway shared through RAM (another account) the provider cannot read them and always
 *   reports true, and ignores the value on create; the hub side is done by the accepter (false)
 *   and the explicit association and propagations.
 * (terraform-provider-aws internal/service/ec2/transitgateway_vpc_attachment.go, read function.)
 */
export const DEFAULT_ROUTE_TABLE_FLAG_READ_BACK = { hubAccount: false, sharedThroughRam: true } as const;
