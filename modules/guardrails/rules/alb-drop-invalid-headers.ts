import { NOT_APPLICABLE, defineRule, everyTier, problems } from '../rule';
import { isTrue } from '../private/values';

export const albDropInvalidHeaders = defineRule({
  id: 'PLAT-ELB-2',
  name: 'alb-drop-invalid-headers',
  info: 'Application load balancers drop invalid HTTP header fields.',
  explanation: 'Headers that are not valid HTTP are a request-smuggling vector between the ALB and the targets.',
  fix: 'Set drop_invalid_header_fields = true on the aws_lb.',
  level: everyTier('error'),
  resourceTypes: ['aws_lb', 'aws_alb'],
  evaluate(lb) {
    if ((lb.attributes.load_balancer_type ?? 'application') !== 'application') return NOT_APPLICABLE;
    return problems(!isTrue(lb.attributes.drop_invalid_header_fields) && 'drop_invalid_header_fields is not true');
  },
});
