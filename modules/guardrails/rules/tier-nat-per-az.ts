import { defineRule, problems } from '../rule';
import { invariantLevel, invariantPrefix } from '../tier-invariants';
import { referencedAddresses } from '../private/values';

export const tierNatPerAz = defineRule({
  id: 'PLAT-TIER-1',
  name: 'tier-nat-per-az',
  info: 'Where the tier requires it (prod), a VPC has a NAT gateway in every zone it has subnets in.',
  explanation: 'With one NAT gateway, losing its zone cuts egress for every zone, and cross-zone traffic is billed.',
  fix: 'Set network.natMode to "per-az" (the prod default) in environments/<env>/config.ts.',
  level: invariantLevel((tier) => tier.natPerAz),
  resourceTypes: ['aws_vpc'],
  evaluate(vpc, { stack }) {
    const subnets = stack.referencing('aws_subnet', 'vpc_id', vpc);
    const zoneOf = (subnet: (typeof subnets)[number]): string => String(subnet.attributes.availability_zone ?? subnet.attributes.availability_zone_id ?? subnet.address);
    const zones = new Set(subnets.map(zoneOf));
    const subnetByAddress = new Map(subnets.map((subnet) => [subnet.address, subnet]));
    const covered = new Set(
      stack
        .resourcesOfType('aws_nat_gateway')
        .filter((nat) => (nat.attributes.connectivity_type ?? 'public') === 'public')
        .flatMap((nat) => referencedAddresses(nat.attributes.subnet_id).map((address) => subnetByAddress.get(address)))
        .filter((subnet) => subnet !== undefined)
        .map(zoneOf),
    );
    const missing = [...zones].filter((zone) => !covered.has(zone)).sort();
    return problems(missing.length > 0 && `${invariantPrefix(stack.environment, 'natPerAz')}: no NAT gateway in ${missing.join(', ')}`);
  },
});
