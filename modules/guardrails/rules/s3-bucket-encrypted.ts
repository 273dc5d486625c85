import { defineRule, everyTier, problems } from '../rule';
import { bucketSseAlgorithms } from '../private/s3';

export const s3BucketEncrypted = defineRule({
  id: 'PLAT-S3-1',
  name: 's3-bucket-encrypted',
  info: 'S3 buckets have a server-side encryption configuration.',
  explanation: 'Default encryption written in code makes the choice of key visible and reviewable instead of relying on the account default.',
  fix: 'Add an aws_s3_bucket_server_side_encryption_configuration for the bucket (modules/core/secure-bucket.ts SecureBucket does).',
  level: everyTier('error'),
  resourceTypes: ['aws_s3_bucket'],
  evaluate(bucket, { stack }) {
    return problems(bucketSseAlgorithms(stack, bucket).length === 0 && 'has no server-side encryption configuration');
  },
});
