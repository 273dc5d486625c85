/**
 * Deterministic subnet carving, keyed by tier and zone letter, never by list position.
 *
 * The VPC range is cut into four equal quarters: `app`, `data`, `public`, and a reserved quarter
 * whose first addresses hold the `/28` transit subnets. Each tier quarter has one slot per zone
 * letter (`a` to `h`), so a zone's subnets depend only on its letter: adding `eu-west-1c` later
 * moves nothing that `eu-west-1a` and `eu-west-1b` already have.
 */
import { formatIpv4Cidr, mustParseIpv4Cidr, subnetAt } from '../core/cidr';
import { zoneLetter } from '../core/regions';

export const SUBNET_TIERS = ['public', 'app', 'data', 'transit'] as const;
export type SubnetTier = (typeof SUBNET_TIERS)[number];

/** Quarter of the VPC range each tier lives in. */
const TIER_QUARTER: Readonly<Record<SubnetTier, number>> = { app: 0, data: 1, public: 2, transit: 3 };
/** Zone letters that have a slot; eight slots per tier. */
export const ZONE_SLOT_LETTERS = 'abcdefgh';
/** The transit subnets only hold Transit Gateway attachment ENIs. */
export const TRANSIT_SUBNET_PREFIX = 28;
/** Smallest tier subnet the layout accepts: 64 addresses, 59 usable. */
export const SMALLEST_TIER_SUBNET_PREFIX = 26;
/** Largest VPC range AWS allows. */
export const LARGEST_VPC_PREFIX = 16;
/** Splitting into 4 quarters, then 8 zone slots. */
const TIER_SUBNET_EXTRA_BITS = 2 + 3;
/** So the smallest VPC the layout fits is a /21. */
export const SMALLEST_VPC_PREFIX = SMALLEST_TIER_SUBNET_PREFIX - TIER_SUBNET_EXTRA_BITS;

export interface PlannedSubnet {
  readonly tier: SubnetTier;
  readonly zone: string;
  readonly cidr: string;
}

/** Why a VPC range and zone list cannot be laid out, or undefined when they can. */
export function subnetLayoutProblem(vpcCidr: string, zones: readonly string[]): string | undefined {
  const vpc = mustParseIpv4Cidr(vpcCidr);
  if (vpc.prefix < LARGEST_VPC_PREFIX) {
    return `${vpcCidr} is larger than AWS allows for a VPC; use a /${LARGEST_VPC_PREFIX} to /${SMALLEST_VPC_PREFIX}`;
  }
  if (vpc.prefix > SMALLEST_VPC_PREFIX) {
    return (
      `${vpcCidr} is too small for the subnet layout (4 quarters x 8 zone slots needs /${SMALLEST_TIER_SUBNET_PREFIX} ` +
      `tier subnets at least); use a /${SMALLEST_VPC_PREFIX} or larger, such as /${LARGEST_VPC_PREFIX}`
    );
  }
  const outOfSlots = zones.filter((zone) => !ZONE_SLOT_LETTERS.includes(zoneLetter(zone)));
  if (outOfSlots.length > 0) {
    return `zones ${outOfSlots.join(', ')} have no subnet slot; the layout keys subnets by zone letter a to h`;
  }
  const duplicates = zones.filter((zone, index) => zones.indexOf(zone) !== index);
  if (duplicates.length > 0) return `zones ${duplicates.join(', ')} are listed twice`;
  return undefined;
}

/** The subnets of every tier in every zone, in a stable order (tier, then zone). */
export function planSubnets(vpcCidr: string, zones: readonly string[]): PlannedSubnet[] {
  const problem = subnetLayoutProblem(vpcCidr, zones);
  if (problem) throw new Error(problem);
  const vpc = mustParseIpv4Cidr(vpcCidr);
  const sortedZones = [...zones].sort();
  return SUBNET_TIERS.flatMap((tier) => sortedZones.map((zone) => ({ tier, zone, cidr: subnetCidr(vpc, tier, zone) })));
}

function subnetCidr(vpc: ReturnType<typeof mustParseIpv4Cidr>, tier: SubnetTier, zone: string): string {
  const quarter = subnetAt(vpc, vpc.prefix + 2, TIER_QUARTER[tier]);
  const slot = ZONE_SLOT_LETTERS.indexOf(zoneLetter(zone));
  const prefix = tier === 'transit' ? TRANSIT_SUBNET_PREFIX : vpc.prefix + TIER_SUBNET_EXTRA_BITS;
  return formatIpv4Cidr(subnetAt(quarter, prefix, slot));
}

/**
 * The quarter of the VPC range a tier lives in: every subnet of the tier, in every zone present
 * or added later, is inside it. NACL rules name a tier by this range, so adding a zone adds no
 * rule and changes none.
 */
export function tierRange(vpcCidr: string, tier: SubnetTier): string {
  return formatIpv4Cidr(subnetAt(mustParseIpv4Cidr(vpcCidr), mustParseIpv4Cidr(vpcCidr).prefix + 2, TIER_QUARTER[tier]));
}
