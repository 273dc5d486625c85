import { Testing } from 'cdktf';
import { RotationFailureAlarm } from '../../../modules/secrets/rotation-failure-alarm';
import { emptyStack, platformWithSecrets } from './helpers';

function build(alertTopicArn = 'arn:aws:sns:eu-west-1:510987654321:dev-alerts-critical') {
  const stack = emptyStack(platformWithSecrets());
  new RotationFailureAlarm(stack, 'rotation_failed', { ruleName: 'dev-secrets-rotation-failed', alertTopicArn, secretNamePrefix: '/dev/' });
  return JSON.parse(Testing.synth(stack));
}

describe('RotationFailureAlarm', () => {
  it('matches failed and abandoned rotations and targets the topic', () => {
    const json = build();
    const pattern = JSON.parse(json.resource.aws_cloudwatch_event_rule.rotation_failed.event_pattern);
    expect(pattern).toEqual({
      source: ['aws.secretsmanager'], 'detail-type': ['AWS Service Event via CloudTrail'],
      detail: { eventSource: ['secretsmanager.amazonaws.com'], eventName: ['RotationFailed', 'RotationAbandoned'] },
    });
    expect(json.resource.aws_cloudwatch_event_target.rotation_failed_alert_topic).toMatchObject({ arn: 'arn:aws:sns:eu-west-1:510987654321:dev-alerts-critical' });
  });

  it('throws for a target that is not a topic', () => {
    expect(() => build('arn:aws:sqs:eu-west-1:510987654321:q')).toThrow(/alertTopicArn must be an SNS topic ARN \(got "arn:aws:sqs/);
  });
});
