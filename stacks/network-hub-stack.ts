import type { Construct } from 'constructs';
import { LayerStack } from './layer-stack';
import type { PlatformStackProps } from './stack-props';
import type { HubExports } from './contracts';
import { TransitGatewayHub } from '../modules/network/transit-gateway-hub';
import { ARCHIVE_PREFIXES, logArchiveBucketName, roleArn, spokeAttachmentRoleName } from '../modules/core/shared-names';
import { terraformId } from '../modules/core/naming';
import { SpokeAttachmentRoles } from '../modules/network/spoke-attachment-roles';
import { hubRouteTablesOf, ON_PREMISES_ROUTE_TABLE } from '../modules/network/segmentation';
import { ciRoleName } from './bootstrap-stack';
import { hubAttachmentOwnerTag } from './network-stack';
import type { Segment } from '../environments/schema';

/**
 * shared-network-hub: the Transit Gateway hub in the network account, its segment route tables and
 * RAM share, and per spoke environment the roles its network stack finishes its attachment with.
 */
export class NetworkHubStack extends LayerStack {
  readonly hub: TransitGatewayHub;
  readonly exports: HubExports;
  /** The route table of the on-premises attachment, when the organization declares an on-premises range. */
  readonly onPremisesRouteTableId?: string;
  /** The hub-side roles of each spoke environment (another account than the hub's), by environment. */
  readonly spokeRoles: Readonly<Record<string, SpokeAttachmentRoles>>;

  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, { platform: props.platform, environment: props.platform.shared, layer: 'network-hub' });
    const org = this.organization;
    const tgw = org.transitGateway;
    // Every account with a VPC but the hub's own; one association per account.
    const principals: Record<string, string> = {};
    for (const env of props.platform.environments) {
      if (env.accountId !== this.account.accountId && !Object.values(principals).includes(env.accountId)) principals[env.name] = env.accountId;
    }
    this.hub = new TransitGatewayHub(this, 'transit_gateway', {
      name: org.namePrefix,
      amazonSideAsn: tgw.asn,
      autoAcceptSharedAttachments: tgw.autoAcceptAttachments,
      principals,
      onPremises: tgw.onPremises ? { cidrs: tgw.onPremises.cidrs, reachableFrom: tgw.onPremises.reachableFrom as Segment[] } : undefined,
      archiveBucketName: logArchiveBucketName(org),
      archivePrefix: ARCHIVE_PREFIXES.transitGatewayFlowLogs,
      region: this.region,
      accountId: this.account.accountId,
    });
    this.exports = {
      transitGatewayId: this.hub.transitGateway.id,
      routeTableIds: {
        prod: this.hub.routeTables.prod.id,
        nonprod: this.hub.routeTables.nonprod.id,
        shared: this.hub.routeTables.shared.id,
      },
    };
    this.onPremisesRouteTableId = this.hub.onPremisesRouteTable?.id;

    // Per spoke (an environment in another account): the narrow roles its network stack's
    // network_hub provider assumes, one for CI applies and one for CI plans (README, "Accounts and roles").
    const tooling = org.accounts.tooling.accountId;
    const tableArns: Record<string, string | undefined> = {
      ...Object.fromEntries(Object.entries(this.hub.routeTables).map(([segment, table]) => [segment, table.arn])),
      [ON_PREMISES_ROUTE_TABLE]: this.hub.onPremisesRouteTable?.arn,
    };
    const spokeRoles: Record<string, SpokeAttachmentRoles> = {};
    for (const env of props.platform.environments.filter((candidate) => candidate.accountId !== this.account.accountId)) {
      const tables = hubRouteTablesOf(env, org);
      spokeRoles[env.name] = new SpokeAttachmentRoles(this, terraformId('spoke', env.name), {
        spoke: env.name,
        roleNames: { apply: spokeAttachmentRoleName(env.name, 'apply'), plan: spokeAttachmentRoleName(env.name, 'plan') },
        assumedBy: { apply: roleArn(tooling, ciRoleName('apply', env.name)), plan: roleArn(tooling, ciRoleName('plan', env.name)) },
        accountId: this.account.accountId,
        region: this.region,
        associationRouteTableArn: this.hub.routeTables[tables.association].arn,
        propagationRouteTableArns: tables.propagations.map((name) => tableArns[name]).filter((arn): arn is string => arn !== undefined),
        ownerTag: hubAttachmentOwnerTag(env.name),
        accept: !tgw.autoAcceptAttachments,
      });
    }
    this.spokeRoles = spokeRoles;
  }
}
