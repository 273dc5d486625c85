import { NOT_APPLICABLE, defineRule, everyTier, problems } from '../rule';
import { MAX_PORT } from '../defaults';
import { SECURITY_GROUP_RULE_TYPES, rulesOf, type SecurityGroupRule } from '../private/security-groups';

export const securityGroupAllPorts = defineRule({
  id: 'PLAT-SG-2',
  name: 'security-group-all-ports',
  info: 'Security group rules name their protocol and ports: no all-protocols or 0-65535 rules, in or out.',
  explanation: 'An all-ports rule opens every service a host runs now or later, and an all-ports egress rule lets a compromised task reach anything.',
  fix: 'Replace protocol "-1" / ports 0-65535 with the tcp/udp ports the service uses (for example 443 to endpoints, 5432 to the data tier).',
  level: everyTier('error'),
  resourceTypes: SECURITY_GROUP_RULE_TYPES,
  evaluate(resource) {
    const rules = rulesOf(resource);
    if (rules.length === 0) return NOT_APPLICABLE;
    return problems(...rules.filter(coversAllPorts).map((rule) => `${rule.label} covers every port`));
  },
});

function coversAllPorts(rule: SecurityGroupRule): boolean {
  if (rule.protocol === '-1') return true;
  if (rule.protocol !== 'tcp' && rule.protocol !== 'udp') return false;
  return (rule.fromPort ?? 0) <= 1 && (rule.toPort ?? MAX_PORT) >= MAX_PORT;
}
