import { defineRule, problems } from '../rule';
import { invariantLevel, invariantPrefix } from '../tier-invariants';
import { isTrue } from '../private/values';

export const tierLbDeletionProtection = defineRule({
  id: 'PLAT-TIER-2',
  name: 'tier-lb-deletion-protection',
  info: 'Where the tier requires it (staging warns, prod fails), load balancers have deletion protection.',
  explanation: 'Deleting the load balancer of a live environment changes its DNS name and drops every connection; a plan must not do it by accident.',
  fix: 'Set enable_deletion_protection = true on the aws_lb (the container platform defaults it per tier).',
  level: invariantLevel((tier) => tier.loadBalancerDeletionProtection),
  resourceTypes: ['aws_lb', 'aws_alb'],
  evaluate(lb, { stack }) {
    return problems(
      !isTrue(lb.attributes.enable_deletion_protection) &&
        `${invariantPrefix(stack.environment, 'loadBalancerDeletionProtection')}: enable_deletion_protection is not true`,
    );
  },
});
