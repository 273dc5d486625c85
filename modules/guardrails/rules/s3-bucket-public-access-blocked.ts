import { defineRule, everyTier, problems } from '../rule';
import { bucketCompanions } from '../private/s3';
import { isTrue } from '../private/values';

const SETTINGS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'] as const;

export const s3BucketPublicAccessBlocked = defineRule({
  id: 'PLAT-S3-3',
  name: 's3-bucket-public-access-blocked',
  info: 'S3 buckets block every kind of public access.',
  explanation: 'A public access block stops an ACL or a policy written later from exposing the bucket to the internet.',
  fix: 'Add an aws_s3_bucket_public_access_block for the bucket with block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets all true.',
  level: everyTier('error'),
  resourceTypes: ['aws_s3_bucket'],
  evaluate(bucket, { stack }) {
    const blocks = [...bucketCompanions(stack, bucket, 'aws_s3_bucket_public_access_block'), ...stack.resourcesOfType('aws_s3_account_public_access_block')];
    if (blocks.length === 0) return problems('has no aws_s3_bucket_public_access_block');
    const best = blocks.map((b) => SETTINGS.filter((setting) => !isTrue(b.attributes[setting]))).sort((x, y) => x.length - y.length)[0];
    return problems(best.length > 0 && `public access block leaves ${best.join(', ')} not true`);
  },
});
