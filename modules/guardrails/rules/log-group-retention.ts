import { defineRule, everyTier, problems } from '../rule';
import { numberOf } from '../private/values';

export const logGroupRetention = defineRule({
  id: 'PLAT-LOGS-1',
  name: 'log-group-retention',
  info: 'CloudWatch log groups set a retention.',
  explanation: 'A log group without retention keeps every event forever: cost grows without bound and personal data is kept longer than needed.',
  fix: 'Set retention_in_days on the aws_cloudwatch_log_group (the tier minimum is in modules/guardrails/tier-invariants.ts).',
  level: everyTier('error'),
  resourceTypes: ['aws_cloudwatch_log_group'],
  evaluate(group) {
    const days = group.attributes.retention_in_days;
    if (days === undefined) return problems('retention_in_days is not set (events never expire)');
    return problems(numberOf(days) === 0 && 'retention_in_days is 0 (events never expire)');
  },
});
