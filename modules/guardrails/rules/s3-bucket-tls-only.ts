import { COMPLIANT, defineRule, everyTier, problems } from '../rule';
import { bucketPolicies } from '../private/s3';
import { coversEveryAction, hasWildcardPrincipal, type Statement } from '../private/policy';

export const s3BucketTlsOnly = defineRule({
  id: 'PLAT-S3-4',
  name: 's3-bucket-tls-only',
  info: 'S3 bucket policies deny every request made without TLS.',
  explanation: 'Without an explicit deny on aws:SecureTransport = false, a client may read or write the bucket over plain HTTP.',
  fix: 'Add an aws_s3_bucket_policy with the statement denyInsecureTransport([arn, `${arn}/*`]) of modules/core/iam.ts (SecureBucket does).',
  level: everyTier('error'),
  resourceTypes: ['aws_s3_bucket'],
  evaluate(bucket, { stack }) {
    const policies = bucketPolicies(stack, bucket);
    if (policies.length === 0) return problems('has no bucket policy denying insecure transport');
    if (policies.some((p) => p.ok && p.statements.some(deniesInsecureTransport))) return COMPLIANT;
    const unreadable = policies.flatMap((p) => (p.ok ? [] : [`bucket policy ${p.reason}`]));
    return problems(...(unreadable.length > 0 ? unreadable : ['bucket policy has no Deny on aws:SecureTransport = false for every principal']));
  },
});

function deniesInsecureTransport(statement: Statement): boolean {
  if (statement.effect !== 'Deny' || !hasWildcardPrincipal(statement)) return false;
  if (!coversEveryAction(statement) && !statement.actions.includes('s3:*')) return false;
  return statement.conditions.some(
    (c) => (c.operator === 'Bool' && c.key === 'aws:SecureTransport' && c.values.includes('false')) || (c.operator === 'NumericLessThan' && c.key === 's3:TlsVersion'),
  );
}
