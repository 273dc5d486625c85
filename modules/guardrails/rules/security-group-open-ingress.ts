import { NOT_APPLICABLE, defineRule, everyTier, problems } from '../rule';
import { ANYWHERE_CIDRS, PUBLIC_ALB_PORTS, PUBLIC_ALB_SECURITY_GROUP_TAG } from '../defaults';
import { SECURITY_GROUP_RULE_TYPES, groupOf, isPublicAlbGroup, rulesOf, type SecurityGroupRule } from '../private/security-groups';

export const securityGroupOpenIngress = defineRule({
  id: 'PLAT-SG-1',
  name: 'security-group-open-ingress',
  info: 'No security group ingress from 0.0.0.0/0 or ::/0, except an internet-facing ALB on 80/443.',
  explanation:
    'Everything but the public load balancer is reached from inside the VPC or the transit network. The ALB group is recognised when it is attached to an application aws_lb of the same stack, or tagged ' +
    `${PUBLIC_ALB_SECURITY_GROUP_TAG.key} = ${PUBLIC_ALB_SECURITY_GROUP_TAG.value} when the ALB lives in another stack.`,
  fix: `Allow a VPC, transit or prefix-list range, or a source security group; for the ALB's group open only tcp ${PUBLIC_ALB_PORTS.join('/')} and tag it ${PUBLIC_ALB_SECURITY_GROUP_TAG.key} = ${PUBLIC_ALB_SECURITY_GROUP_TAG.value}.`,
  level: everyTier('error'),
  resourceTypes: SECURITY_GROUP_RULE_TYPES,
  evaluate(resource, { stack }) {
    const open = rulesOf(resource).filter((rule) => rule.direction === 'ingress' && rule.cidrs.some((cidr) => ANYWHERE_CIDRS.includes(cidr)));
    if (open.length === 0) return rulesOf(resource).some((rule) => rule.direction === 'ingress') ? problems() : NOT_APPLICABLE;
    const group = groupOf(resource, stack);
    const albGroup = group !== undefined && isPublicAlbGroup(group, stack);
    return problems(
      ...open
        .filter((rule) => !(albGroup && isAlbPort(rule)))
        .map((rule) => `${rule.label}${albGroup ? ` (an ALB group may open only tcp ${PUBLIC_ALB_PORTS.join('/')})` : ' (not an internet-facing ALB group)'}`),
    );
  },
});

function isAlbPort(rule: SecurityGroupRule): boolean {
  return rule.protocol === 'tcp' && rule.fromPort !== undefined && rule.fromPort === rule.toPort && PUBLIC_ALB_PORTS.includes(rule.fromPort);
}
