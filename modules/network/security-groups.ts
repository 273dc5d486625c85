/**
 * The baseline security groups of a VPC, chained by group id rather than by range:
 * `alb` (443/80 from the ALB ranges) -> `app` (service ports from `alb` only) -> `data`
 * (database ports from `app` only), and `endpoints` (443 from the VPC) for interface endpoints.
 * Across the Transit Gateway, `app` admits the cross-VPC service ports from the ranges the
 * segment table lets reach this VPC, and nothing else does.
 * No rule covers every port; egress is as narrow as the chain allows.
 */
import { Construct } from 'constructs';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { terraformId } from '../core/naming';
import { PUBLIC_ALB_SECURITY_GROUP_TAG } from '../guardrails/defaults';
import type { TieredVpc } from './vpc';
import type { TransitDestination } from './segmentation';
import { ANYWHERE_IPV4, CROSS_VPC_SERVICE_PORTS, DEFAULT_ALB_INGRESS_CIDRS, DEFAULT_DATABASE_PORTS, DEFAULT_SERVICE_PORTS, HTTP_PORT, HTTPS_PORT } from './defaults';

export const BASELINE_GROUPS = ['alb', 'app', 'data', 'endpoints'] as const;
export type BaselineGroup = (typeof BASELINE_GROUPS)[number];

const DESCRIPTIONS: Readonly<Record<BaselineGroup, string>> = {
  alb: 'Load balancers: 443/80 from the allowed ranges, service ports to app',
  app: 'Services: service ports from alb, 443 out, database ports to data',
  data: 'Databases: database ports from app only',
  endpoints: 'Interface VPC endpoints: 443 from the VPC',
};

export interface BaselineSecurityGroupsProps {
  readonly vpc: TieredVpc;
  /** Ranges allowed to reach the `alb` group on 443/80. @default DEFAULT_ALB_INGRESS_CIDRS (anywhere) */
  readonly albIngressCidrs?: readonly string[];
  /** TCP ports `app` serves to `alb`. @default DEFAULT_SERVICE_PORTS */
  readonly servicePorts?: readonly number[];
  /** TCP ports `data` serves to `app`. @default DEFAULT_DATABASE_PORTS */
  readonly databasePorts?: readonly number[];
  /**
   * Ranges across the Transit Gateway that `app` admits on crossVpcServicePorts
   * (`crossVpcFlows(...).inbound`, the segment table that builds the routes).
   * @default [] - nothing from outside the VPC reaches `app`
   */
  readonly crossVpcInbound?: readonly TransitDestination[];
  /** TCP ports `app` serves across the Transit Gateway. @default CROSS_VPC_SERVICE_PORTS */
  readonly crossVpcServicePorts?: readonly number[];
}

export class BaselineSecurityGroups extends Construct {
  readonly groups: Readonly<Record<BaselineGroup, SecurityGroup>>;

  constructor(scope: Construct, id: string, props: BaselineSecurityGroupsProps) {
    const albIngressCidrs = props.albIngressCidrs ?? DEFAULT_ALB_INGRESS_CIDRS;
    const servicePorts = props.servicePorts ?? DEFAULT_SERVICE_PORTS;
    const databasePorts = props.databasePorts ?? DEFAULT_DATABASE_PORTS;
    if (albIngressCidrs.length === 0) throw new Error(`BaselineSecurityGroups ${id}: albIngressCidrs must list at least one range; got []`);
    for (const [prop, ports] of [['servicePorts', servicePorts], ['databasePorts', databasePorts]] as const) {
      if (ports.length === 0) throw new Error(`BaselineSecurityGroups ${id}: ${prop} must list at least one port; got []`);
    }
    super(scope, id);
    const vpc = props.vpc;
    const publicAlb = albIngressCidrs.includes(ANYWHERE_IPV4);

    const groups = {} as Record<BaselineGroup, SecurityGroup>;
    for (const group of BASELINE_GROUPS) {
      groups[group] = new SecurityGroup(this, group, {
        name: `${vpc.name}-${group}`,
        description: DESCRIPTIONS[group],
        vpcId: vpc.vpc.id,
        revokeRulesOnDelete: true,
        tags: {
          Name: `${vpc.name}-${group}`,
          ...(group === 'alb' && publicAlb ? { [PUBLIC_ALB_SECURITY_GROUP_TAG.key]: PUBLIC_ALB_SECURITY_GROUP_TAG.value } : {}),
        },
      });
    }
    this.groups = groups;

    const ingress = (group: BaselineGroup, key: string, port: number, from: { cidr: string } | { group: BaselineGroup }, description: string) =>
      new VpcSecurityGroupIngressRule(this, `${group}_in_${key}`, {
        securityGroupId: groups[group].id,
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
        description,
        ...('cidr' in from ? { cidrIpv4: from.cidr } : { referencedSecurityGroupId: groups[from.group].id }),
      });
    const egress = (group: BaselineGroup, key: string, port: number, to: { cidr: string } | { group: BaselineGroup }, description: string) =>
      new VpcSecurityGroupEgressRule(this, `${group}_out_${key}`, {
        securityGroupId: groups[group].id,
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
        description,
        ...('cidr' in to ? { cidrIpv4: to.cidr } : { referencedSecurityGroupId: groups[to.group].id }),
      });

    for (const cidr of albIngressCidrs) {
      ingress('alb', terraformId('https', cidr), HTTPS_PORT, { cidr }, `HTTPS from ${cidr}`);
      ingress('alb', terraformId('http', cidr), HTTP_PORT, { cidr }, `HTTP from ${cidr} (redirected to HTTPS)`);
    }
    for (const port of servicePorts) {
      egress('alb', `service_${port}`, port, { group: 'app' }, `Service port ${port} to app`);
      ingress('app', `service_${port}`, port, { group: 'alb' }, `Service port ${port} from alb`);
    }
    egress('app', 'https', HTTPS_PORT, { cidr: ANYWHERE_IPV4 }, 'HTTPS to AWS APIs, endpoints and the internet through NAT');
    for (const port of databasePorts) {
      egress('app', `database_${port}`, port, { group: 'data' }, `Database port ${port} to data`);
      ingress('data', `database_${port}`, port, { group: 'app' }, `Database port ${port} from app`);
    }
    for (const range of props.crossVpcInbound ?? []) {
      for (const port of props.crossVpcServicePorts ?? CROSS_VPC_SERVICE_PORTS) {
        ingress('app', terraformId('cross_vpc', range.name, String(port)), port, { cidr: range.cidr }, `Port ${port} from ${range.name} (${range.cidr}) across the Transit Gateway`);
      }
    }
    ingress('endpoints', 'https', HTTPS_PORT, { cidr: vpc.cidrBlock }, 'HTTPS from the VPC');
  }
}
