/** The generated list of taggable resource types (modules/guardrails/scripts/generate-taggable-types.ts). */
import { AWS_PROVIDER_VERSION, TAGGABLE_RESOURCE_TYPES } from '../../../modules/guardrails/data/taggable-resource-types';
import { newTestStack, synthJson } from '../../helpers/platform';

test('is generated for the AWS provider version the stacks require (regenerate it when that changes)', () => {
  expect(synthJson(newTestStack()).terraform.required_providers.aws.version).toBe(AWS_PROVIDER_VERSION);
});

test.each(['aws_s3_bucket', 'aws_vpc', 'aws_kms_key', 'aws_ecs_service', 'aws_lb', 'aws_secretsmanager_secret'])('lists %s', (type) => {
  expect(TAGGABLE_RESOURCE_TYPES.has(type)).toBe(true);
});

test.each(['aws_s3_bucket_policy', 'aws_s3_bucket_versioning', 'aws_iam_role_policy_attachment', 'aws_security_group_rule'])('leaves out %s (no tags argument)', (type) => {
  expect(TAGGABLE_RESOURCE_TYPES.has(type)).toBe(false);
});
