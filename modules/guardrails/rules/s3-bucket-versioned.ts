import { defineRule, everyTier, problems } from '../rule';
import { bucketCompanions } from '../private/s3';
import { block, blocks, isTrue } from '../private/values';

export const s3BucketVersioned = defineRule({
  id: 'PLAT-S3-2',
  name: 's3-bucket-versioned',
  info: 'S3 buckets are versioned.',
  explanation: 'Versioning keeps overwritten and deleted objects recoverable (and is required for replication and object lock).',
  fix: 'Add an aws_s3_bucket_versioning for the bucket with versioning_configuration.status = "Enabled".',
  level: everyTier('error'),
  resourceTypes: ['aws_s3_bucket'],
  evaluate(bucket, { stack }) {
    const enabled =
      bucketCompanions(stack, bucket, 'aws_s3_bucket_versioning').some((v) => block(v.attributes.versioning_configuration)?.status === 'Enabled') ||
      blocks(bucket.attributes.versioning).some((v) => isTrue(v.enabled));
    return problems(!enabled && 'has no aws_s3_bucket_versioning with status "Enabled"');
  },
});
