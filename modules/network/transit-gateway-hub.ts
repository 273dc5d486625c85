/**
 * The Transit Gateway hub of the network account: one gateway (own ASN, DNS support, default
 * route-table association and propagation off), one route table per segment, an optional
 * on-premises route table, a RAM share with the workload accounts (no external principals) and
 * flow logs to the archive.
 *
 * Which segment reaches which is not decided here: attachments associate with their segment's
 * table and propagate into the tables of the segments that reach them (`segmentation.ts`),
 * from the attaching stack. The hub only routes the on-premises ranges.
 */
import { Construct } from 'constructs';
import { Ec2TransitGateway } from '@cdktf/provider-aws/lib/ec2-transit-gateway';
import { Ec2TransitGatewayRouteTable } from '@cdktf/provider-aws/lib/ec2-transit-gateway-route-table';
import { Ec2TransitGatewayRoute } from '@cdktf/provider-aws/lib/ec2-transit-gateway-route';
import { RamResourceShare } from '@cdktf/provider-aws/lib/ram-resource-share';
import { RamResourceAssociation } from '@cdktf/provider-aws/lib/ram-resource-association';
import { RamPrincipalAssociation } from '@cdktf/provider-aws/lib/ram-principal-association';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import type { Segment } from '../../environments/schema';
import { terraformId } from '../core/naming';
import { mustParseIpv4Cidr } from '../core/cidr';
import { ON_PREMISES_ROUTE_TABLE, SEGMENT_NAMES } from './segmentation';
import { archiveDestinationArn, ARCHIVE_DESTINATION_OPTIONS } from './private/archive-destination';
import { TRANSIT_GATEWAY_ASN_RANGE, TRANSIT_GATEWAY_FLOW_LOG_AGGREGATION_SECONDS } from './defaults';
import { protect } from '../core/protection';

export interface OnPremisesProps {
  /** Ranges behind the VPN or Direct Connect attachment. */
  readonly cidrs: readonly string[];
  /** Segments whose route tables send these ranges on-premises. */
  readonly reachableFrom: readonly Segment[];
  /**
   * The VPN or Direct Connect gateway attachment, once it exists.
   * @default - placeholder: the routes are blackholes until the attachment is given
   */
  readonly attachmentId?: string;
}

export interface TransitGatewayHubProps {
  /** Prefix of the `Name` tags. */
  readonly name: string;
  /** Private ASN of the Amazon side, 64512-65534. */
  readonly amazonSideAsn: number;
  /** Accept attachments from the shared accounts without a manual step. */
  readonly autoAcceptSharedAttachments: boolean;
  /** Accounts the gateway is shared with through RAM, by a stable name (the environment). */
  readonly principals: Readonly<Record<string, string>>;
  /** @default - no on-premises route table or routes */
  readonly onPremises?: OnPremisesProps;
  /** The central archive bucket. */
  readonly archiveBucketName: string;
  /** Key prefix of the Transit Gateway flow logs in the archive. */
  readonly archivePrefix: string;
  /** Region and account of the hub: the ARNs handed to RAM are built from them. */
  readonly region: string;
  readonly accountId: string;
}

export class TransitGatewayHub extends Construct {
  readonly transitGateway: Ec2TransitGateway;
  readonly routeTables: Readonly<Record<Segment, Ec2TransitGatewayRouteTable>>;
  readonly onPremisesRouteTable?: Ec2TransitGatewayRouteTable;
  readonly share: RamResourceShare;

  constructor(scope: Construct, id: string, props: TransitGatewayHubProps) {
    const { min, max } = TRANSIT_GATEWAY_ASN_RANGE;
    if (!Number.isInteger(props.amazonSideAsn) || props.amazonSideAsn < min || props.amazonSideAsn > max) {
      throw new Error(`TransitGatewayHub ${id}: amazonSideAsn must be a private ASN from ${min} to ${max}; got ${props.amazonSideAsn}`);
    }
    for (const [name, accountId] of Object.entries(props.principals)) {
      if (!/^\d{12}$/.test(accountId)) throw new Error(`TransitGatewayHub ${id}: principals.${name} must be a 12-digit account id; got ${JSON.stringify(accountId)}`);
    }
    if (props.onPremises) {
      if (props.onPremises.cidrs.length === 0) throw new Error(`TransitGatewayHub ${id}: onPremises.cidrs must list at least one range; got []`);
      props.onPremises.cidrs.forEach((cidr) => mustParseIpv4Cidr(cidr));
      const unknown = props.onPremises.reachableFrom.filter((segment) => !SEGMENT_NAMES.includes(segment));
      if (unknown.length > 0) {
        throw new Error(`TransitGatewayHub ${id}: onPremises.reachableFrom must name segments (${SEGMENT_NAMES.join(', ')}); got ${unknown.join(', ')}`);
      }
    }
    super(scope, id);

    this.transitGateway = new Ec2TransitGateway(this, 'Resource', {
      description: `${props.name} hub: segments ${SEGMENT_NAMES.join(', ')}`,
      amazonSideAsn: props.amazonSideAsn,
      dnsSupport: 'enable',
      vpnEcmpSupport: 'enable',
      defaultRouteTableAssociation: 'disable',
      defaultRouteTablePropagation: 'disable',
      autoAcceptSharedAttachments: props.autoAcceptSharedAttachments ? 'enable' : 'disable',
      tags: { Name: `${props.name}-tgw` },
    });
    protect(this.transitGateway, `Transit Gateway ${props.name}: every attached VPC loses its routes`);
    const transitGatewayId = this.transitGateway.id;

    const tables = {} as Record<Segment, Ec2TransitGatewayRouteTable>;
    for (const segment of SEGMENT_NAMES) {
      tables[segment] = new Ec2TransitGatewayRouteTable(this, segment, { transitGatewayId, tags: { Name: `${props.name}-${segment}`, segment } });
      protect(tables[segment], `Transit Gateway route table ${segment}: the attachments associated with it lose their routes`);
    }
    this.routeTables = tables;

    const onPremises = props.onPremises;
    if (onPremises) {
      this.onPremisesRouteTable = new Ec2TransitGatewayRouteTable(this, ON_PREMISES_ROUTE_TABLE, {
        transitGatewayId,
        tags: { Name: `${props.name}-${ON_PREMISES_ROUTE_TABLE}`, segment: ON_PREMISES_ROUTE_TABLE },
      });
      protect(this.onPremisesRouteTable, 'Transit Gateway route table of the on-premises connection: on-premises loses its routes');
      for (const segment of SEGMENT_NAMES.filter((candidate) => onPremises.reachableFrom.includes(candidate))) {
        for (const cidr of onPremises.cidrs) {
          new Ec2TransitGatewayRoute(this, terraformId(segment, 'to', ON_PREMISES_ROUTE_TABLE, cidr), {
            transitGatewayRouteTableId: tables[segment].id,
            destinationCidrBlock: cidr,
            ...(onPremises.attachmentId ? { transitGatewayAttachmentId: onPremises.attachmentId } : { blackhole: true }),
          });
        }
      }
    }

    this.share = new RamResourceShare(this, 'share', {
      name: `${props.name}-transit-gateway`,
      allowExternalPrincipals: false,
      tags: { Name: `${props.name}-transit-gateway` },
    });
    protect(this.share, 'RAM share of the Transit Gateway: every spoke account loses its attachments');
    const transitGatewayArn = `arn:aws:ec2:${props.region}:${props.accountId}:transit-gateway/${transitGatewayId}`;
    const shareArn = this.share.arn;
    new RamResourceAssociation(this, 'share_transit_gateway', { resourceShareArn: shareArn, resourceArn: transitGatewayArn });
    for (const [name, accountId] of Object.entries(props.principals).sort(([a], [b]) => a.localeCompare(b))) {
      new RamPrincipalAssociation(this, terraformId('share', name), { resourceShareArn: shareArn, principal: accountId });
    }

    new FlowLog(this, 'flow_logs', {
      transitGatewayId,
      trafficType: 'ALL',
      logDestinationType: 's3',
      logDestination: archiveDestinationArn(props.archiveBucketName, props.archivePrefix),
      destinationOptions: ARCHIVE_DESTINATION_OPTIONS,
      maxAggregationInterval: TRANSIT_GATEWAY_FLOW_LOG_AGGREGATION_SECONDS,
      tags: { Name: `${props.name}-tgw-flow-logs` },
    });
  }
}
