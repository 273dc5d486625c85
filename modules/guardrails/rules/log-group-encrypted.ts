import { defineRule, everyTier, problems } from '../rule';
import { isSet } from '../private/values';

export const logGroupEncrypted = defineRule({
  id: 'PLAT-LOGS-2',
  name: 'log-group-encrypted',
  info: 'CloudWatch log groups are encrypted with a KMS key.',
  explanation: 'Logs carry request data and identifiers; a customer-managed key puts reading them under a key policy.',
  fix: 'Set kms_key_id on the aws_cloudwatch_log_group to a key whose policy allows logs.<region>.amazonaws.com.',
  level: everyTier('error'),
  resourceTypes: ['aws_cloudwatch_log_group'],
  evaluate(group) {
    return problems(!isSet(group.attributes.kms_key_id) && 'kms_key_id is not set');
  },
});
