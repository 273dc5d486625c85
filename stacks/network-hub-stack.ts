import type { Construct } from 'constructs';
import { LayerStack } from './layer-stack';
import type { PlatformStackProps } from './stack-props';
import type { HubExports } from './contracts';
import { TransitGatewayHub } from '../modules/network/transit-gateway-hub';
import { ARCHIVE_PREFIXES, logArchiveBucketName } from '../modules/core/shared-names';
import type { Segment } from '../environments/schema';

/** shared-network-hub: the Transit Gateway hub in the network account, its segment route tables and RAM share. */
export class NetworkHubStack extends LayerStack {
  readonly hub: TransitGatewayHub;
  readonly exports: HubExports;
  /** The route table of the on-premises attachment, when the organization declares an on-premises range. */
  readonly onPremisesRouteTableId?: string;

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
  }
}
