import { defineRule, problems, type ResourceView, type StackView } from '../rule';
import { invariantLevel, invariantPrefix } from '../tier-invariants';
import { bucketSseAlgorithms } from '../private/s3';
import { block, isSet, isTrue } from '../private/values';

/** Per resource type: what is missing for the data to be under a KMS key, or undefined. */
const CHECKS: Readonly<Record<string, (resource: ResourceView, stack: StackView) => string | undefined>> = {
  aws_s3_bucket: (bucket, stack) => {
    const algorithms = bucketSseAlgorithms(stack, bucket);
    return algorithms.some((algorithm) => algorithm.startsWith('aws:kms')) ? undefined : `encryption is ${algorithms.join(', ') || 'not configured'}, not aws:kms`;
  },
  aws_ecr_repository: (repository) =>
    block(repository.attributes.encryption_configuration)?.encryption_type === 'KMS' ? undefined : 'encryption_configuration.encryption_type is not KMS',
  aws_sqs_queue: (queue) => (isSet(queue.attributes.kms_master_key_id) ? undefined : 'kms_master_key_id is not set'),
  aws_ebs_volume: (volume) => (isTrue(volume.attributes.encrypted) && isSet(volume.attributes.kms_key_id) ? undefined : 'not encrypted with kms_key_id'),
  aws_db_instance: (db) => (isTrue(db.attributes.storage_encrypted) && isSet(db.attributes.kms_key_id) ? undefined : 'storage not encrypted with kms_key_id'),
  aws_rds_cluster: (db) => (isTrue(db.attributes.storage_encrypted) && isSet(db.attributes.kms_key_id) ? undefined : 'storage not encrypted with kms_key_id'),
  aws_dynamodb_table: (table) => {
    const sse = block(table.attributes.server_side_encryption);
    return sse && isTrue(sse.enabled) && isSet(sse.kms_key_arn) ? undefined : 'server_side_encryption has no kms_key_arn';
  },
  aws_efs_file_system: (fs) => (isTrue(fs.attributes.encrypted) && isSet(fs.attributes.kms_key_id) ? undefined : 'not encrypted with kms_key_id'),
};

export const tierKmsEverywhere = defineRule({
  id: 'PLAT-TIER-6',
  name: 'tier-kms-everywhere',
  info: 'Where the tier requires it (prod), data at rest is under a KMS key: S3, ECR, SQS, EBS, RDS, DynamoDB, EFS.',
  explanation:
    'SSE-S3 and AWS-owned keys cannot be restricted by a key policy or audited per caller. Logs, SNS, secrets and trails need a KMS key in every tier (PLAT-LOGS-2, PLAT-SNS-1, PLAT-SM-1, PLAT-TRAIL-3). Deliveries that support nothing else (ALB access logs need SSE-S3) are suppressed with that reason.',
  fix: 'Encrypt with a customer-managed KMS key (SecureBucket kmsKeyArn, ECR encryption_configuration { encryption_type = "KMS" }, kms_key_id ...).',
  level: invariantLevel((tier) => tier.kmsEverywhere),
  resourceTypes: Object.keys(CHECKS),
  evaluate(resource, { stack }) {
    const missing = CHECKS[resource.type](resource, stack);
    return problems(missing !== undefined && `${invariantPrefix(stack.environment, 'kmsEverywhere')}: ${missing}`);
  },
});
