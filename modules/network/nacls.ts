/**
 * Network ACLs per tier, as defense in depth under the security groups. Sources are tier ranges
 * (`TieredVpc.tierRange`), so a new zone needs no new rule. Rule numbers come in blocks of
 * NACL_RULE_BLOCK_SIZE with entries NACL_RULE_STEP apart (see `defaults.ts`), leaving room for
 * later rules. Cross-VPC entries come from the segment table (`crossVpcFlows`), the one that
 * builds the Transit Gateway routes: what is routed to a tier is admitted, nothing else.
 *
 * - public: in 443/80 from the ALB ranges, 443 from the VPC (traffic the NAT gateways forward),
 *   ephemeral return ports from the internet without 22 and 3389; nothing from the cross-VPC
 *   ranges (denied first); out 443 (NAT), service ports to `app`, ephemeral.
 * - app: in service ports from `public`, 443 from the VPC (interface endpoints live here), the
 *   cross-VPC service ports from the ranges that reach this VPC, ephemeral return ports (the
 *   internet through NAT and the cross-VPC ranges it calls) without 22 and 3389; out 443,
 *   database ports to `data`, ephemeral.
 * - data: in database ports from `app`, ephemeral from the VPC; out 443 to the VPC (endpoints),
 *   ephemeral to `app`. Nothing to or from outside the VPC.
 * - transit: everything from and to the VPC and the cross-VPC ranges (the only ranges routed
 *   through the attachment), nothing else; filtering by port happens at the tier the traffic
 *   enters, as AWS advises for Transit Gateway attachment subnets.
 */
import { Construct } from 'constructs';
import { NetworkAcl } from '@cdktf/provider-aws/lib/network-acl';
import { NetworkAclRule } from '@cdktf/provider-aws/lib/network-acl-rule';
import { NetworkAclAssociation } from '@cdktf/provider-aws/lib/network-acl-association';
import { terraformId, zoneId } from '../core/naming';
import { mustParseIpv4Cidr, summarizeIpv4Cidrs } from '../core/cidr';
import { SUBNET_TIERS, type SubnetTier } from './subnet-layout';
import type { TieredVpc } from './vpc';
import {
  ALL_PORTS,
  ANYWHERE_IPV4,
  CROSS_VPC_SERVICE_PORTS,
  DEFAULT_ALB_INGRESS_CIDRS,
  DEFAULT_DATABASE_PORTS,
  DEFAULT_SERVICE_PORTS,
  EPHEMERAL_PORTS,
  HTTP_PORT,
  HTTPS_PORT,
  NACL_RULE_BLOCK_ENTRIES,
  NACL_RULE_BLOCKS,
  NACL_RULE_STEP,
  REMOTE_ADMINISTRATION_PORTS,
} from './defaults';
import type { TransitDestination } from './segmentation';

export interface TierNetworkAclsProps {
  readonly vpc: TieredVpc;
  /**
   * Ranges across the Transit Gateway admitted to the app tier on crossVpcServicePorts
   * (`crossVpcFlows(...).inbound`).
   * @default [] - nothing from outside the VPC but the ALB ranges and return traffic
   */
  readonly crossVpcInbound?: readonly TransitDestination[];
  /**
   * Every range routed through the transit subnets, both directions (`crossVpcRanges`).
   * @default [] - the transit subnets admit the VPC only
   */
  readonly crossVpcRanges?: readonly TransitDestination[];
  /** TCP ports the app tier serves across the Transit Gateway. @default CROSS_VPC_SERVICE_PORTS */
  readonly crossVpcServicePorts?: readonly number[];
  /** Ranges allowed to reach the public tier on 443/80. @default DEFAULT_ALB_INGRESS_CIDRS (anywhere) */
  readonly albIngressCidrs?: readonly string[];
  /** TCP ports the app tier serves to the public tier. @default DEFAULT_SERVICE_PORTS */
  readonly servicePorts?: readonly number[];
  /** TCP ports the data tier serves to the app tier. @default DEFAULT_DATABASE_PORTS */
  readonly databasePorts?: readonly number[];
}

/** One NACL entry before it becomes a resource. */
export interface NaclEntry {
  /** Key of the rule below its ACL: `in_https_0_0_0_0_0`. */
  readonly key: string;
  readonly egress: boolean;
  readonly ruleNumber: number;
  /** `tcp` or `-1`. */
  readonly protocol: 'tcp' | '-1';
  readonly action: 'allow' | 'deny';
  readonly cidr: string;
  readonly fromPort: number;
  readonly toPort: number;
}

export class TierNetworkAcls extends Construct {
  /** The ACL of each tier. */
  readonly acls: Readonly<Record<SubnetTier, NetworkAcl>>;
  /** The entries of each tier, as created. */
  readonly entries: Readonly<Record<SubnetTier, readonly NaclEntry[]>>;

  constructor(scope: Construct, id: string, props: TierNetworkAclsProps) {
    const albIngressCidrs = props.albIngressCidrs ?? DEFAULT_ALB_INGRESS_CIDRS;
    const servicePorts = props.servicePorts ?? DEFAULT_SERVICE_PORTS;
    const databasePorts = props.databasePorts ?? DEFAULT_DATABASE_PORTS;
    checkBlock(id, 'albIngressCidrs', albIngressCidrs, (cidr) => mustParseIpv4Cidr(String(cidr)) !== undefined);
    checkBlock(id, 'servicePorts', servicePorts, isPort);
    checkBlock(id, 'databasePorts', databasePorts, isPort);
    // Past one block of rule numbers, ranges are summarized exactly (adjacent environment ranges
    // merge into one entry; no address is added), so many environments still fit a NACL.
    const crossVpcInbound = fitBlock(props.crossVpcInbound ?? [], Math.floor(NACL_RULE_BLOCK_ENTRIES / Math.max(1, (props.crossVpcServicePorts ?? CROSS_VPC_SERVICE_PORTS).length)));
    const crossVpcRanges = fitBlock(props.crossVpcRanges ?? [], NACL_RULE_BLOCK_ENTRIES - 1);
    const crossVpcServicePorts = props.crossVpcServicePorts ?? CROSS_VPC_SERVICE_PORTS;
    const crossVpcEntries = crossVpcInbound.flatMap((range) => crossVpcServicePorts.map((port) => ({ cidr: range.cidr, port, suffix: `${range.name}_${port}` })));
    if (crossVpcInbound.length > 0) checkBlock(id, 'crossVpcInbound x crossVpcServicePorts', crossVpcEntries.map((entry) => entry.suffix), () => true);
    checkBlock(id, 'crossVpcServicePorts', crossVpcServicePorts, isPort);
    if (crossVpcRanges.length >= NACL_RULE_BLOCK_ENTRIES) {
      throw new Error(`TierNetworkAcls ${id}: crossVpcRanges must list at most ${NACL_RULE_BLOCK_ENTRIES - 1} ranges (one block of rule numbers, the VPC first) after summarizing adjacent ranges; got ${crossVpcRanges.length}: allocate the environments' vpcCidr from one aligned pool (as an IPAM pool does) so their ranges summarize`);
    }
    [...crossVpcInbound, ...crossVpcRanges].forEach((range) => mustParseIpv4Cidr(range.cidr));
    super(scope, id);

    const vpc = props.vpc;
    const vpcCidr = vpc.cidrBlock;
    const publicRange = vpc.tierRange('public');
    const appRange = vpc.tierRange('app');
    const dataRange = vpc.tierRange('data');

    const entries: Record<SubnetTier, NaclEntry[]> = {
      public: [
        ...block('in', 'https', NACL_RULE_BLOCKS.https, albIngressCidrs.map((cidr) => ({ cidr, port: HTTPS_PORT, suffix: cidr }))),
        ...block('in', 'http', NACL_RULE_BLOCKS.http, albIngressCidrs.map((cidr) => ({ cidr, port: HTTP_PORT, suffix: cidr }))),
        ...crossVpcRanges.map((range, index) => rule('in', terraformId('deny', range.name), NACL_RULE_BLOCKS.crossVpcDeny + index * NACL_RULE_STEP, '-1', range.cidr, ALL_PORTS, 'deny')),
        tcp('in', 'nat_https_from_vpc', NACL_RULE_BLOCKS.vpcHttps, vpcCidr, HTTPS_PORT),
        ...ephemeral('in', ANYWHERE_IPV4),
        tcp('out', 'https', NACL_RULE_BLOCKS.https, ANYWHERE_IPV4, HTTPS_PORT),
        ...block('out', 'service', NACL_RULE_BLOCKS.service, servicePorts.map((port) => ({ cidr: appRange, port, suffix: String(port) }))),
        ...ephemeral('out', ANYWHERE_IPV4),
      ],
      app: [
        ...block('in', 'service', NACL_RULE_BLOCKS.service, servicePorts.map((port) => ({ cidr: publicRange, port, suffix: String(port) }))),
        tcp('in', 'endpoints_https_from_vpc', NACL_RULE_BLOCKS.vpcHttps, vpcCidr, HTTPS_PORT),
        ...block('in', 'cross_vpc', NACL_RULE_BLOCKS.crossVpc, crossVpcEntries),
        ...ephemeral('in', ANYWHERE_IPV4),
        tcp('out', 'https', NACL_RULE_BLOCKS.https, ANYWHERE_IPV4, HTTPS_PORT),
        ...block('out', 'database', NACL_RULE_BLOCKS.database, databasePorts.map((port) => ({ cidr: dataRange, port, suffix: String(port) }))),
        ...ephemeral('out', ANYWHERE_IPV4),
      ],
      data: [
        ...block('in', 'database', NACL_RULE_BLOCKS.database, databasePorts.map((port) => ({ cidr: appRange, port, suffix: String(port) }))),
        ...ephemeral('in', vpcCidr),
        tcp('out', 'endpoints_https_to_vpc', NACL_RULE_BLOCKS.vpcHttps, vpcCidr, HTTPS_PORT),
        ...ephemeral('out', appRange),
      ],
      transit: (['in', 'out'] as const).flatMap((direction) =>
        [{ name: 'vpc', cidr: vpcCidr }, ...crossVpcRanges].map((range, index) =>
          rule(direction, range.name, NACL_RULE_BLOCKS.transit + index * NACL_RULE_STEP, '-1', range.cidr, ALL_PORTS, 'allow'),
        ),
      ),
    };

    const acls = {} as Record<SubnetTier, NetworkAcl>;
    for (const tier of SUBNET_TIERS) {
      const acl = new NetworkAcl(this, tier, { vpcId: vpc.vpc.id, tags: { Name: `${vpc.name}-${tier}`, tier } });
      acls[tier] = acl;
      for (const entry of entries[tier]) {
        new NetworkAclRule(this, `${tier}_${entry.key}`, {
          networkAclId: acl.id,
          ruleNumber: entry.ruleNumber,
          egress: entry.egress,
          protocol: entry.protocol,
          ruleAction: entry.action,
          cidrBlock: entry.cidr,
          fromPort: entry.fromPort,
          toPort: entry.toPort,
        });
      }
      for (const subnet of vpc.subnetsOf(tier)) {
        new NetworkAclAssociation(this, `${tier}_${zoneId(subnet.zone)}`, { networkAclId: acl.id, subnetId: subnet.subnet.id });
      }
    }
    this.acls = acls;
    this.entries = entries;
  }
}

function isPort(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= ALL_PORTS.to;
}

function checkBlock(id: string, prop: string, values: readonly unknown[], valid: (value: unknown) => boolean): void {
  if (values.length === 0 || values.length > NACL_RULE_BLOCK_ENTRIES) {
    throw new Error(`TierNetworkAcls ${id}: ${prop} must list 1 to ${NACL_RULE_BLOCK_ENTRIES} entries (one block of rule numbers); got ${values.length}`);
  }
  const bad = values.filter((value) => {
    try {
      return !valid(value);
    } catch {
      return true;
    }
  });
  if (bad.length > 0) throw new Error(`TierNetworkAcls ${id}: ${prop} holds invalid entries ${JSON.stringify(bad)}`);
  const twice = values.filter((value, index) => values.indexOf(value) !== index);
  if (twice.length > 0) throw new Error(`TierNetworkAcls ${id}: ${prop} lists ${JSON.stringify(twice)} twice; list each once`);
}

function rule(
  direction: 'in' | 'out',
  key: string,
  ruleNumber: number,
  protocol: NaclEntry['protocol'],
  cidr: string,
  ports: { readonly from: number; readonly to: number },
  action: NaclEntry['action'],
): NaclEntry {
  // Protocol -1 covers every port; AWS reads its ports back as 0.
  const [fromPort, toPort] = protocol === '-1' ? [ALL_PORTS.from, ALL_PORTS.from] : [ports.from, ports.to];
  return { key: `${direction}_${key}`, egress: direction === 'out', ruleNumber, protocol, cidr, fromPort, toPort, action };
}

function tcp(direction: 'in' | 'out', key: string, ruleNumber: number, cidr: string, port: number): NaclEntry {
  return rule(direction, key, ruleNumber, 'tcp', cidr, { from: port, to: port }, 'allow');
}

/**
 * Return traffic on the ephemeral ports. Admitting the internet (inbound from anywhere), the
 * range is split around the remote-administration ports (one entry per piece, keyed by range);
 * otherwise one entry `ephemeral`.
 */
function ephemeral(direction: 'in' | 'out', cidr: string): NaclEntry[] {
  const pieces = direction === 'in' && cidr === ANYWHERE_IPV4 ? portRangesWithout(EPHEMERAL_PORTS, REMOTE_ADMINISTRATION_PORTS) : [EPHEMERAL_PORTS];
  return pieces.map((piece, index) =>
    rule(direction, pieces.length > 1 ? `ephemeral_${piece.from}_${piece.to}` : 'ephemeral', NACL_RULE_BLOCKS.ephemeral + index * NACL_RULE_STEP, 'tcp', cidr, piece, 'allow'),
  );
}

/** `range` without the `excluded` ports, as contiguous pieces. */
export function portRangesWithout(range: { readonly from: number; readonly to: number }, excluded: readonly number[]): { from: number; to: number }[] {
  const pieces: { from: number; to: number }[] = [];
  let from = range.from;
  for (const port of [...excluded].sort((a, b) => a - b).filter((candidate) => candidate >= range.from && candidate <= range.to)) {
    if (port > from) pieces.push({ from, to: port - 1 });
    from = port + 1;
  }
  if (from <= range.to) pieces.push({ from, to: range.to });
  return pieces;
}

/** A block of single-port TCP rules, NACL_RULE_STEP apart from `base`, keyed by port or range. */
function block(direction: 'in' | 'out', purpose: string, base: number, items: readonly { cidr: string; port: number; suffix: string }[]): NaclEntry[] {
  return items.map((item, index) => tcp(direction, terraformId(purpose, item.suffix), base + index * NACL_RULE_STEP, item.cidr, item.port));
}

/** `ranges` as they are when at most `capacity` fit, else summarized exactly and named by their CIDR. */
function fitBlock(ranges: readonly TransitDestination[], capacity: number): readonly TransitDestination[] {
  if (ranges.length <= capacity) return ranges;
  return summarizeIpv4Cidrs(ranges.map((range) => range.cidr)).map((cidr) => ({ name: terraformId('summary', cidr), cidr }));
}
