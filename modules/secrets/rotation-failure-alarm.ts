/**
 * Rotation failures raise an alert: an EventBridge rule on the Secrets Manager events CloudTrail
 * delivers to the default bus (`RotationFailed`, `RotationAbandoned`), targeting the environment's
 * alert topic. The topic belongs to `<env>-observability`; its policy must let
 * `events.amazonaws.com` publish (and its KMS key let EventBridge use it).
 */
import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { ROTATION_FAILURE_EVENTS } from './defaults';

export interface RotationFailureAlarmProps {
  /** Rule name (`dev-secrets-rotation-failed`). */
  readonly ruleName: string;
  /** SNS topic the alert goes to. */
  readonly alertTopicArn: string;
  /** Only secrets whose name starts with this (`/dev/`). */
  readonly secretNamePrefix: string;
}

export class RotationFailureAlarm extends Construct {
  readonly ruleArn: string;

  constructor(scope: Construct, id: string, props: RotationFailureAlarmProps) {
    super(scope, id);
    if (!props.alertTopicArn.startsWith('arn:aws:sns:')) {
      throw new Error(`RotationFailureAlarm ${this.node.path}: alertTopicArn must be an SNS topic ARN (got "${props.alertTopicArn}")`);
    }
    const rule = new CloudwatchEventRule(this, 'Resource', {
      name: props.ruleName,
      description: `Secrets Manager rotation of ${props.secretNamePrefix}* failed or was abandoned`,
      state: 'ENABLED',
      eventPattern: JSON.stringify({
        source: ['aws.secretsmanager'],
        'detail-type': ['AWS Service Event via CloudTrail'],
        detail: { eventSource: ['secretsmanager.amazonaws.com'], eventName: [...ROTATION_FAILURE_EVENTS] },
      }),
    });
    this.ruleArn = rule.arn;
    new CloudwatchEventTarget(this, 'alert_topic', {
      rule: rule.name,
      targetId: 'alert-topic',
      arn: props.alertTopicArn,
      inputTransformer: {
        inputPaths: { event: '$.detail.eventName', secret: '$.detail.additionalEventData.SecretId', time: '$.time' },
        inputTemplate: `"Secrets Manager <event> for <secret> at <time>: the secret keeps its previous value; see the rotation function's logs."`,
      },
    });
  }
}
