import type { Construct } from 'constructs';
import { LayerStack, STACK_TAG_KEY, stackName } from './layer-stack';
import type { EnvironmentStackProps } from './stack-props';
import type { HubExports, NetworkExports } from './contracts';
import { ARCHIVE_PREFIXES, logArchiveBucketName, roleArn, spokeAttachmentRoleName } from '../modules/core/shared-names';
import { networkSettings } from '../modules/network/settings';
import { TieredVpc } from '../modules/network/vpc';
import { TierNetworkAcls } from '../modules/network/nacls';
import { BaselineSecurityGroups } from '../modules/network/security-groups';
import { VpcEndpoints } from '../modules/network/endpoints';
import { VpcFlowLogs } from '../modules/network/flow-logs';
import { HubAttachment } from '../modules/network/hub-attachment';
import { crossVpcFlows, crossVpcRanges, hubRouteTablesOf, ON_PREMISES_ROUTE_TABLE, transitDestinations } from '../modules/network/segmentation';

/** The hub a network stack attaches to (the `shared-network-hub` stack). */
export interface NetworkHub {
  readonly exports: HubExports;
  /** @default - no on-premises route table: nothing is propagated on-premises */
  readonly onPremisesRouteTableId?: string;
}

export interface NetworkStackProps extends EnvironmentStackProps {
  /** The Transit Gateway hub; its ids are read through cross-stack references. */
  readonly hub: NetworkHub;
}

/** Alias of the provider for the network (hub) account in a workload network stack. */
export const NETWORK_HUB_PROVIDER_ALIAS = 'network_hub';

/** The tag that marks the hub side of an environment's attachment as its own: its network stack's `stack` tag. */
export function hubAttachmentOwnerTag(env: string): { key: string; value: string } {
  return { key: STACK_TAG_KEY, value: stackName(env, 'network') };
}

/** <env>-network: the environment VPC, its subnet tiers, NACLs, security groups, endpoints, flow logs and Transit Gateway attachment. */
export class NetworkStack extends LayerStack {
  readonly vpc: TieredVpc;
  readonly securityGroups: BaselineSecurityGroups;
  readonly attachment: HubAttachment;
  readonly exports: NetworkExports;

  constructor(scope: Construct, props: NetworkStackProps) {
    super(scope, { platform: props.platform, environment: props.environment, layer: 'network' });
    const env = this.environment;
    const org = this.organization;
    const shared = props.platform.shared;
    const settings = networkSettings(env);

    this.vpc = new TieredVpc(this, 'vpc', { name: env.name, cidrBlock: env.vpcCidr, availabilityZones: env.availabilityZones, natMode: settings.natMode });
    const tiers = { vpc: this.vpc, albIngressCidrs: settings.albIngressCidrs, servicePorts: settings.servicePorts, databasePorts: settings.databasePorts };
    // Cross-VPC admission comes from the segment table that builds the routes (segmentation.ts).
    const flows = crossVpcFlows(env, props.platform.environments, org);
    new TierNetworkAcls(this, 'nacls', { ...tiers, crossVpcInbound: flows.inbound, crossVpcRanges: crossVpcRanges(flows) });
    this.securityGroups = new BaselineSecurityGroups(this, 'security_groups', { ...tiers, crossVpcInbound: flows.inbound });
    new VpcEndpoints(this, 'endpoints', {
      vpc: this.vpc,
      region: this.region,
      securityGroup: this.securityGroups.groups.endpoints,
      interfaceEndpoints: settings.interfaceEndpoints,
    });
    new VpcFlowLogs(this, 'flow_logs', {
      vpc: this.vpc,
      environment: env.name,
      region: this.region,
      accountId: this.account.accountId,
      archiveBucketName: logArchiveBucketName(org),
      archivePrefix: ARCHIVE_PREFIXES.flowLogs(env.name),
      maxAggregationSeconds: settings.flowLogAggregationSeconds,
      toCloudWatch: settings.flowLogsToCloudWatch,
      retentionDays: settings.flowLogRetentionDays,
    });

    // In another account than the hub, the hub side goes through the narrow role the hub stack
    // creates for this environment (the CI plan tooling swaps in its read-only twin).
    const crossAccount = env.accountId !== shared.accountId;
    const hubProvider = crossAccount
      ? this.awsProvider(
          NETWORK_HUB_PROVIDER_ALIAS,
          { accountId: shared.accountId, deployRoleArn: roleArn(shared.accountId, spokeAttachmentRoleName(env.name, 'apply')) },
          this.region,
          NETWORK_HUB_PROVIDER_ALIAS,
        )
      : undefined;
    const tables = hubRouteTablesOf(env, org);
    const tableIds: Record<string, string | undefined> = { ...props.hub.exports.routeTableIds, [ON_PREMISES_ROUTE_TABLE]: props.hub.onPremisesRouteTableId };
    const propagation: Record<string, string> = {};
    for (const name of tables.propagations) if (tableIds[name]) propagation[name] = tableIds[name]!;
    this.attachment = new HubAttachment(this, 'transit_gateway_attachment', {
      vpc: this.vpc,
      transitGatewayId: props.hub.exports.transitGatewayId,
      associationRouteTableId: props.hub.exports.routeTableIds[tables.association],
      propagationRouteTableIds: propagation,
      destinations: transitDestinations(env, props.platform.environments, org),
      hubProvider,
      hubOwnerTag: crossAccount ? hubAttachmentOwnerTag(env.name) : undefined,
      acceptOnHub: crossAccount && !org.transitGateway.autoAcceptAttachments,
    });

    const groups = this.securityGroups.groups;
    this.exports = {
      vpcId: this.vpc.vpc.id,
      vpcCidr: env.vpcCidr,
      publicSubnetIds: this.vpc.subnetIds('public'),
      appSubnetIds: this.vpc.subnetIds('app'),
      dataSubnetIds: this.vpc.subnetIds('data'),
      securityGroupIds: { alb: groups.alb.id, app: groups.app.id, data: groups.data.id, endpoints: groups.endpoints.id },
    };
  }
}
