import { NOT_APPLICABLE, defineRule, everyTier, problems } from '../rule';
import { isTrue } from '../private/values';

export const kmsKeyRotation = defineRule({
  id: 'PLAT-KMS-1',
  name: 'kms-key-rotation',
  info: 'Symmetric KMS keys rotate their key material.',
  explanation: 'Automatic rotation limits how much data one key version protects; AWS keeps old versions for decryption.',
  fix: 'Set enable_key_rotation = true on the aws_kms_key (optionally rotation_period_in_days).',
  level: everyTier('error'),
  resourceTypes: ['aws_kms_key'],
  evaluate(key) {
    const spec = key.attributes.customer_master_key_spec ?? 'SYMMETRIC_DEFAULT';
    if (spec !== 'SYMMETRIC_DEFAULT') return NOT_APPLICABLE;
    return problems(!isTrue(key.attributes.enable_key_rotation) && 'enable_key_rotation is not true');
  },
});
