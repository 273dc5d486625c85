import { NOT_APPLICABLE, defineRule, everyTier, problems } from '../rule';
import { isKmsAlias } from '../../core/kms-reference';
import { blocks, isObject } from '../private/values';

/**
 * Key arguments (`attribute` or `block.attribute`) of the resource types whose service stores
 * the key ARN behind an alias and reads it back, so an alias shows as a change on every plan
 * (an in-place update for CloudTrail, a replacement for the others):
 * - aws_cloudtrail: hashicorp/terraform-provider-aws#694, #33928
 * - aws_db_instance, aws_rds_cluster: #229, #25713, #38780 (the provider docs issue)
 * - aws_elasticache_replication_group: #25713
 * - aws_redshift_cluster: hashicorp/terraform#8259
 * - aws_ebs_volume: #2407
 * - aws_dynamodb_table: #25713 (server_side_encryption.kms_key_arn)
 * - aws_ecr_repository: cloudposse/terraform-aws-ecr#85 (encryption_configuration.kms_key)
 */
const KEY_ARGUMENTS: Readonly<Record<string, readonly string[]>> = {
  aws_cloudtrail: ['kms_key_id'],
  aws_db_instance: ['kms_key_id'],
  aws_rds_cluster: ['kms_key_id'],
  aws_elasticache_replication_group: ['kms_key_id'],
  aws_redshift_cluster: ['kms_key_id'],
  aws_ebs_volume: ['kms_key_id'],
  aws_dynamodb_table: ['server_side_encryption.kms_key_arn'],
  aws_ecr_repository: ['encryption_configuration.kms_key'],
};

/** A reference to an alias (`aws_kms_alias.x.arn`, `.name`, `.id`); `target_key_arn` / `target_key_id` name the key itself. */
const ALIAS_REFERENCE = /\$\{(?:data\.)?aws_kms_alias\.[\w-]+\.(?:arn|name|id)\}/;

function valuesAt(attributes: Readonly<Record<string, unknown>>, path: string): unknown[] {
  const [head, ...rest] = path.split('.');
  if (rest.length === 0) return [attributes[head]];
  return blocks(attributes[head]).flatMap((block) => (isObject(block) ? valuesAt(block, rest.join('.')) : []));
}

export const kmsKeyArnNotAlias = defineRule({
  id: 'PLAT-DRIFT-1',
  name: 'kms-key-arn-not-alias',
  info: 'Where a service reads back the key ARN (CloudTrail, RDS, ElastiCache, Redshift, EBS, DynamoDB, ECR), the KMS key is named by its key ARN, not an alias.',
  explanation:
    'These services accept an alias but store and return the ARN of the key behind it, so the next plan shows the alias replacing the key ARN: a change on every plan and every drift run, and for RDS, EBS, DynamoDB and ECR a replacement of the resource.',
  fix: 'Pass the key ARN: `aws_kms_key.<name>.arn`, a cross-stack reference to it, or `data.aws_kms_alias.<name>.target_key_arn`; never `alias/...` or an alias ARN.',
  level: everyTier('error'),
  resourceTypes: Object.keys(KEY_ARGUMENTS),
  evaluate(resource) {
    const found = KEY_ARGUMENTS[resource.type].flatMap((path) =>
      valuesAt(resource.attributes, path)
        .filter((value): value is string => typeof value === 'string')
        .filter((value) => isKmsAlias(value) || ALIAS_REFERENCE.test(value))
        .map((value) => `${path} names the key by an alias (${value}); AWS reads back the key ARN`),
    );
    if (found.length === 0 && KEY_ARGUMENTS[resource.type].every((path) => valuesAt(resource.attributes, path).every((value) => value === undefined))) return NOT_APPLICABLE;
    return problems(...found);
  },
});
