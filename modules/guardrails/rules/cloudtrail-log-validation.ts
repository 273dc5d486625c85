import { defineRule, everyTier, problems } from '../rule';
import { isTrue } from '../private/values';

export const cloudtrailLogValidation = defineRule({
  id: 'PLAT-TRAIL-2',
  name: 'cloudtrail-log-validation',
  info: 'CloudTrail trails validate their log files.',
  explanation: 'Digest files make tampering with or deleting delivered log files detectable.',
  fix: 'Set enable_log_file_validation = true on the aws_cloudtrail.',
  level: everyTier('error'),
  resourceTypes: ['aws_cloudtrail'],
  evaluate(trail) {
    return problems(!isTrue(trail.attributes.enable_log_file_validation) && 'enable_log_file_validation is not true');
  },
});
