/**
 * Security group rules, whichever resource wrote them: inline `ingress`/`egress` blocks of
 * `aws_security_group`, `aws_security_group_rule`, or `aws_vpc_security_group_{ingress,egress}_rule`.
 */
import type { ResourceView, StackView } from '../rule';
import { PUBLIC_ALB_SECURITY_GROUP_TAG } from '../defaults';
import { blocks, isObject, numberOf, referencedAddresses, strings } from './values';

export interface SecurityGroupRule {
  readonly direction: 'ingress' | 'egress';
  /** `tcp`, `udp`, `icmp`, `-1` (all)... lower case. */
  readonly protocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  /** IPv4 and IPv6 CIDRs. */
  readonly cidrs: readonly string[];
  /** How the rule reads in a message: `ingress tcp 443-443 from 0.0.0.0/0`. */
  readonly label: string;
}

export const SECURITY_GROUP_RULE_TYPES = [
  'aws_security_group',
  'aws_security_group_rule',
  'aws_vpc_security_group_ingress_rule',
  'aws_vpc_security_group_egress_rule',
] as const;

/** The rules a resource declares (inline blocks of a group, or the one rule of a rule resource). */
export function rulesOf(resource: ResourceView): SecurityGroupRule[] {
  const a = resource.attributes;
  switch (resource.type) {
    case 'aws_security_group':
    case 'aws_default_security_group':
      return (['ingress', 'egress'] as const).flatMap((direction) =>
        blocks(a[direction]).map((rule) =>
          make(direction, rule.protocol, rule.from_port, rule.to_port, [...strings(rule.cidr_blocks), ...strings(rule.ipv6_cidr_blocks)]),
        ),
      );
    case 'aws_security_group_rule':
      return [make(a.type === 'egress' ? 'egress' : 'ingress', a.protocol, a.from_port, a.to_port, [...strings(a.cidr_blocks), ...strings(a.ipv6_cidr_blocks)])];
    case 'aws_vpc_security_group_ingress_rule':
    case 'aws_vpc_security_group_egress_rule':
      return [
        make(resource.type.includes('ingress') ? 'ingress' : 'egress', a.ip_protocol, a.from_port, a.to_port, [...strings(a.cidr_ipv4), ...strings(a.cidr_ipv6)]),
      ];
    default:
      return [];
  }
}

function make(direction: 'ingress' | 'egress', protocol: unknown, from: unknown, to: unknown, cidrs: string[]): SecurityGroupRule {
  const proto = String(protocol ?? '-1').toLowerCase();
  const normalized = proto === 'all' || proto === '-1' ? '-1' : proto === '6' ? 'tcp' : proto === '17' ? 'udp' : proto;
  const fromPort = numberOf(from);
  const toPort = numberOf(to);
  const ports = normalized === '-1' ? 'all ports' : `${fromPort ?? '?'}-${toPort ?? '?'}`;
  const peer = cidrs.length > 0 ? ` ${direction === 'ingress' ? 'from' : 'to'} ${cidrs.join(', ')}` : '';
  return { direction, protocol: normalized, fromPort, toPort, cidrs, label: `${direction} ${normalized === '-1' ? 'all protocols' : normalized} ${ports}${peer}` };
}

/** The group a rule resource belongs to (`security_group_id`), when it is in this stack. */
export function groupOf(resource: ResourceView, stack: StackView): ResourceView | undefined {
  if (resource.type === 'aws_security_group' || resource.type === 'aws_default_security_group') return resource;
  const address = referencedAddresses(resource.attributes.security_group_id).find((ref) => ref.startsWith('aws_security_group.'));
  return address ? stack.byAddress(address) : undefined;
}

/**
 * Whether a group fronts an internet-facing ALB: attached to an application `aws_lb` (or
 * `aws_alb`) of the stack, or tagged PUBLIC_ALB_SECURITY_GROUP_TAG when the ALB is elsewhere.
 */
export function isPublicAlbGroup(group: ResourceView, stack: StackView): boolean {
  const tags = group.attributes.tags;
  if (isObject(tags) && tags[PUBLIC_ALB_SECURITY_GROUP_TAG.key] === PUBLIC_ALB_SECURITY_GROUP_TAG.value) return true;
  return ['aws_lb', 'aws_alb'].some((type) =>
    stack
      .referencing(type, 'security_groups', group)
      .some((lb) => (lb.attributes.load_balancer_type ?? 'application') === 'application' && lb.attributes.internal !== true),
  );
}
