import { defineRule, everyTier, problems } from '../rule';
import { isTrue } from '../private/values';

export const cloudtrailMultiRegion = defineRule({
  id: 'PLAT-TRAIL-1',
  name: 'cloudtrail-multi-region',
  info: 'CloudTrail trails record every region.',
  explanation: 'A single-region trail misses API calls made in the other regions, which is where an intruder would act.',
  fix: 'Set is_multi_region_trail = true (and include_global_service_events = true) on the aws_cloudtrail.',
  level: everyTier('error'),
  resourceTypes: ['aws_cloudtrail'],
  evaluate(trail) {
    return problems(!isTrue(trail.attributes.is_multi_region_trail) && 'is_multi_region_trail is not true');
  },
});
