/** Lookups around an `aws_s3_bucket`: its companion resources name it in `bucket`. */
import type { ResourceView, StackView } from '../rule';
import { parsePolicy, type ParsedPolicy } from './policy';

/** Resources of `type` that configure `bucket` (by reference or by its literal name). */
export function bucketCompanions(stack: StackView, bucket: ResourceView, type: string): readonly ResourceView[] {
  return stack.referencing(type, 'bucket', bucket, ['bucket']);
}

/** The bucket's policies: every `aws_s3_bucket_policy` of it, and the legacy inline `policy`. */
export function bucketPolicies(stack: StackView, bucket: ResourceView): ParsedPolicy[] {
  const policies = bucketCompanions(stack, bucket, 'aws_s3_bucket_policy').map((policy) => parsePolicy(policy.attributes.policy, stack));
  if (bucket.attributes.policy !== undefined) policies.push(parsePolicy(bucket.attributes.policy, stack));
  return policies;
}

/** The `sse_algorithm`s the bucket's encryption configuration sets (resource or legacy inline block). */
export function bucketSseAlgorithms(stack: StackView, bucket: ResourceView): string[] {
  const configs = [
    ...bucketCompanions(stack, bucket, 'aws_s3_bucket_server_side_encryption_configuration').map((config) => config.attributes),
    ...(bucket.attributes.server_side_encryption_configuration !== undefined ? [bucket.attributes.server_side_encryption_configuration] : []),
  ];
  return configs.flatMap((config) => {
    const list = Array.isArray(config) ? config : [config];
    return list.flatMap((item: any) => toArray(item?.rule).flatMap((rule: any) => toArray(rule?.apply_server_side_encryption_by_default).map((d: any) => d?.sse_algorithm)));
  }).filter((algorithm): algorithm is string => typeof algorithm === 'string' && algorithm.length > 0);
}

function toArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}
