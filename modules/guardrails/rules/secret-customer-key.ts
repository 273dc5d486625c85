import { defineRule, everyTier, problems } from '../rule';
import { AWS_MANAGED_SECRETS_KEY } from '../defaults';
import { isSet } from '../private/values';

export const secretCustomerKey = defineRule({
  id: 'PLAT-SM-1',
  name: 'secret-customer-key',
  info: 'Secrets Manager secrets are encrypted with a customer-managed KMS key.',
  explanation: 'The AWS managed key cannot be shared across accounts or restricted by a key policy; a customer key puts every read under our policy.',
  fix: 'Set kms_key_id on the aws_secretsmanager_secret to the environment secrets key (SecretsExports.kmsKeyArn).',
  level: everyTier('error'),
  resourceTypes: ['aws_secretsmanager_secret'],
  evaluate(secret) {
    const key = secret.attributes.kms_key_id;
    if (!isSet(key)) return problems('kms_key_id is not set (the AWS managed key is used)');
    return problems(key.endsWith(AWS_MANAGED_SECRETS_KEY) && `kms_key_id is the AWS managed key ${AWS_MANAGED_SECRETS_KEY}`);
  },
});
