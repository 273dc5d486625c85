/**
 * The Transit Gateway segmentation, as data: which segment's VPCs may open connections to which.
 * It is symmetric (routes exist both ways or not at all) and drives both the hub route tables
 * (propagations) and the VPC route tables (routes to the Transit Gateway).
 *
 * VPCs of the same workload segment do not reach each other (dev and staging are both
 * `nonprod` and stay apart); the shared segment reaches every segment.
 */
import type { EnvironmentConfig, OrganizationConfig, Segment } from '../../environments/schema';
import { terraformId } from '../core/naming';

/** Segment -> the segments whose VPCs it reaches. */
export const SEGMENT_REACH: Readonly<Record<Segment, readonly Segment[]>> = {
  prod: ['shared'],
  nonprod: ['shared'],
  shared: ['prod', 'nonprod', 'shared'],
};

/** Every segment, in a stable order. */
export const SEGMENT_NAMES = Object.keys(SEGMENT_REACH) as Segment[];

/** Name of the hub route table the on-premises attachment (VPN or Direct Connect) is associated with. */
export const ON_PREMISES_ROUTE_TABLE = 'on_premises';

export function segmentReaches(from: Segment, to: Segment): boolean {
  return SEGMENT_REACH[from].includes(to);
}

/** Hub route tables an attachment of `segment` propagates its VPC range into: those of the segments that reach it. */
export function propagationSegments(segment: Segment): Segment[] {
  return SEGMENT_NAMES.filter((other) => segmentReaches(other, segment));
}

/** Whether the on-premises range is reachable from (and reaches) a segment. */
export function onPremisesReachable(org: OrganizationConfig, segment: Segment): boolean {
  return (org.transitGateway.onPremises?.reachableFrom ?? []).includes(segment);
}

/** The hub route tables of an environment's attachment, by name (segment or ON_PREMISES_ROUTE_TABLE). */
export interface HubRouteTables {
  /** The table the attachment is associated with: its segment's. */
  readonly association: Segment;
  /** The tables its range is propagated into: those of the segments that reach it, and on-premises when configured. */
  readonly propagations: readonly string[];
}

export function hubRouteTablesOf(env: EnvironmentConfig, org: OrganizationConfig): HubRouteTables {
  const onPremises = onPremisesReachable(org, env.segment) && org.transitGateway.onPremises ? [ON_PREMISES_ROUTE_TABLE] : [];
  return { association: env.segment, propagations: [...propagationSegments(env.segment), ...onPremises] };
}

/** A range a VPC routes to the Transit Gateway, with the name its route is keyed by. */
export interface TransitDestination {
  /** `shared`, `on_premises_192_168_0_0_16`: the route's Terraform name ends with `to_<name>`. */
  readonly name: string;
  readonly cidr: string;
}

/** The ranges `env`'s VPC sends to the Transit Gateway: reachable VPCs (by environment name) and on-premises. */
export function transitDestinations(env: EnvironmentConfig, all: readonly EnvironmentConfig[], org: OrganizationConfig): TransitDestination[] {
  const vpcs = [...all]
    .filter((other) => other.name !== env.name && segmentReaches(env.segment, other.segment))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((other) => ({ name: other.name, cidr: other.vpcCidr }));
  const onPremises = onPremisesReachable(org, env.segment)
    ? (org.transitGateway.onPremises?.cidrs ?? []).map((cidr) => ({ name: terraformId('on_premises', cidr), cidr }))
    : [];
  return [...vpcs, ...onPremises];
}

/**
 * The cross-VPC flows of an environment's VPC, from the same table that builds the routes: the
 * ranges that open connections to its `app` tier on CROSS_VPC_SERVICE_PORTS (VPCs of the segments
 * that reach its segment, and on-premises when configured) and the ranges it opens connections
 * to (those it routes to the gateway). NACLs and security groups admit these and nothing else
 * from outside the VPC; the transit subnets admit only these ranges and the VPC.
 */
export interface CrossVpcFlows {
  /** Ranges admitted to the `app` tier on the cross-VPC service ports. */
  readonly inbound: readonly TransitDestination[];
  /** Ranges the VPC opens connections to (their return traffic is admitted). */
  readonly outbound: readonly TransitDestination[];
}

export function crossVpcFlows(env: EnvironmentConfig, all: readonly EnvironmentConfig[], org: OrganizationConfig): CrossVpcFlows {
  const inboundVpcs = [...all]
    .filter((other) => other.name !== env.name && segmentReaches(other.segment, env.segment))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((other) => ({ name: other.name, cidr: other.vpcCidr }));
  const onPremises = transitDestinations(env, all, org).filter((destination) => !all.some((other) => other.name === destination.name));
  return { inbound: [...inboundVpcs, ...onPremises], outbound: transitDestinations(env, all, org) };
}

/** Every range of both directions, once, by name. */
export function crossVpcRanges(flows: CrossVpcFlows): TransitDestination[] {
  const ranges = new Map<string, TransitDestination>();
  for (const range of [...flows.outbound, ...flows.inbound]) ranges.set(range.name, range);
  return [...ranges.values()].sort((a, b) => a.name.localeCompare(b.name));
}
