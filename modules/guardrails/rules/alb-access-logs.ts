import { defineRule, everyTier, problems } from '../rule';
import { block, isSet, isTrue } from '../private/values';

export const albAccessLogs = defineRule({
  id: 'PLAT-ELB-3',
  name: 'alb-access-logs',
  info: 'Load balancers write access logs.',
  explanation: 'Access logs are the record of every request the platform served: who, when, what answer.',
  fix: 'Set access_logs { bucket = <the log archive ALB bucket>, prefix = ..., enabled = true } on the aws_lb.',
  level: everyTier('error'),
  resourceTypes: ['aws_lb', 'aws_alb'],
  evaluate(lb) {
    const logs = block(lb.attributes.access_logs);
    return problems(!(logs && isTrue(logs.enabled) && isSet(logs.bucket)) && 'access_logs are not enabled with a bucket');
  },
});
