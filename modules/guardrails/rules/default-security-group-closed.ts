import { defineRule, everyTier, problems } from '../rule';
import { blocks, mentions } from '../private/values';

const STANDALONE_RULES = ['aws_security_group_rule', 'aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule'];

export const defaultSecurityGroupClosed = defineRule({
  id: 'PLAT-SG-3',
  name: 'default-security-group-closed',
  info: 'Every VPC adopts its default security group with no rules.',
  explanation:
    'AWS creates the default group allowing all traffic between its members and all egress; anything launched without a group lands in it. Adopting it with aws_default_security_group and no rules removes them.',
  fix: 'Add an aws_default_security_group with vpc_id = the VPC and no ingress or egress blocks, and attach no rules to it.',
  level: everyTier('error'),
  resourceTypes: ['aws_vpc', 'aws_default_security_group'],
  evaluate(resource, { stack }) {
    if (resource.type === 'aws_vpc') {
      const adopted = stack.referencing('aws_default_security_group', 'vpc_id', resource);
      const attached = STANDALONE_RULES.flatMap((type) => stack.resourcesOfType(type)).filter((rule) =>
        String(rule.attributes.security_group_id ?? '').includes(`${resource.address}.default_security_group_id`),
      );
      return problems(
        adopted.length === 0 && 'has no aws_default_security_group, so the AWS default rules stay',
        ...attached.map((rule) => `${rule.address} adds a rule to its default security group`),
      );
    }
    const inline = [...blocks(resource.attributes.ingress), ...blocks(resource.attributes.egress)].length;
    const attached = STANDALONE_RULES.flatMap((type) => stack.resourcesOfType(type)).filter((rule) => mentions(rule.attributes.security_group_id, resource.address));
    return problems(inline > 0 && `declares ${inline} inline rule(s)`, ...attached.map((rule) => `${rule.address} adds a rule to it`));
  },
});
