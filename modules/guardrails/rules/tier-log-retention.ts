import { NOT_APPLICABLE, defineRule, problems } from '../rule';
import { TIER_INVARIANTS, invariantLevel, invariantPrefix } from '../tier-invariants';
import { forTier } from '../../core/tier';
import { numberOf } from '../private/values';

export const tierLogRetention = defineRule({
  id: 'PLAT-TIER-3',
  name: 'tier-log-retention',
  info: 'Log groups keep events at least as long as the tier requires (prod 365 days).',
  explanation: 'Investigations and audits look back months; the minimum per tier is in modules/guardrails/tier-invariants.ts.',
  fix: 'Raise retention_in_days to at least the tier minimum (the observability defaults follow it).',
  level: invariantLevel((tier) => tier.logRetention.level),
  resourceTypes: ['aws_cloudwatch_log_group'],
  evaluate(group, { stack }) {
    const { minDays } = forTier(TIER_INVARIANTS, stack.tier).logRetention;
    const days = numberOf(group.attributes.retention_in_days);
    if (days === undefined || days === 0) return NOT_APPLICABLE; // never expires: PLAT-LOGS-1 reports it
    return problems(days < minDays && `${invariantPrefix(stack.environment, 'logRetention')} of at least ${minDays} days: retention_in_days is ${days}`);
  },
});
