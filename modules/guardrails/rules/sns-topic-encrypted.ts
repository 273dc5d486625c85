import { defineRule, everyTier, problems } from '../rule';
import { isSet } from '../private/values';

export const snsTopicEncrypted = defineRule({
  id: 'PLAT-SNS-1',
  name: 'sns-topic-encrypted',
  info: 'SNS topics are encrypted with a KMS key.',
  explanation: 'Messages at rest in SNS are encrypted only with server-side encryption enabled on the topic.',
  fix: 'Set kms_master_key_id on the aws_sns_topic to a customer-managed key that allows the publishing services (cloudwatch.amazonaws.com, events.amazonaws.com).',
  level: everyTier('error'),
  resourceTypes: ['aws_sns_topic'],
  evaluate(topic) {
    return problems(!isSet(topic.attributes.kms_master_key_id) && 'kms_master_key_id is not set');
  },
});
