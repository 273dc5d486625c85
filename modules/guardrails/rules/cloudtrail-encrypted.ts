import { defineRule, everyTier, problems } from '../rule';
import { isSet } from '../private/values';

export const cloudtrailEncrypted = defineRule({
  id: 'PLAT-TRAIL-3',
  name: 'cloudtrail-encrypted',
  info: 'CloudTrail trails encrypt their logs with a KMS key.',
  explanation: 'SSE-KMS on trail logs adds a key policy between the archive bucket and whoever can read it.',
  fix: 'Set kms_key_id on the aws_cloudtrail to a key whose policy allows cloudtrail.amazonaws.com.',
  level: everyTier('error'),
  resourceTypes: ['aws_cloudtrail'],
  evaluate(trail) {
    return problems(!isSet(trail.attributes.kms_key_id) && 'kms_key_id is not set');
  },
});
