/** Misuse of the module's constructs throws at construction, naming the prop and the fix. */
import { AlertTopics } from '../../../modules/observability/alert-topics';
import { AuditTrail } from '../../../modules/observability/audit-trail';
import { Backups } from '../../../modules/observability/backups';
import { EndpointChecks } from '../../../modules/observability/endpoint-checks';
import { EnvironmentDashboard } from '../../../modules/observability/dashboard';
import { SecurityBaseline } from '../../../modules/observability/security-baseline';
import { newTestStack, shippedPlatform } from '../../helpers/platform';

const platform = shippedPlatform();
const KEY_ARN = 'arn:aws:kms:eu-west-1:310987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const endpoint = { name: 'api', url: 'https://a.example/h', fqdn: 'a.example', port: 443, resourcePath: '/h', failureThreshold: 3, requestIntervalSeconds: 30 };

describe('construct misuse', () => {
  it.each([
    ['AlertTopics without alarm accounts', (s: any) => new AlertTopics(s, 'a', { environment: platform.environment('dev'), alarmAccountIds: [] }), /alarmAccountIds is empty/],
    ['AlertTopics without severities', (s: any) => new AlertTopics(s, 'a', { environment: platform.environment('dev'), severities: [] }), /severities is empty; omit it/],
    [
      'AuditTrail with a retention CloudWatch does not offer',
      (s: any) => new AuditTrail(s, 't', { organization: platform.organization, kmsKeyArn: KEY_ARN, accountId: '510987654321', region: 'eu-west-1', accountLabel: 'dev', logRetentionDays: 45, alarmTopicArns: ['arn:aws:sns:eu-west-1:510987654321:x'] }),
      /logRetentionDays 45 is not a CloudWatch Logs retention/,
    ],
    [
      'AuditTrail encrypting with a key alias (CloudTrail reads back the key ARN: a change on every plan)',
      (s: any) => new AuditTrail(s, 't', { organization: platform.organization, kmsKeyArn: 'arn:aws:kms:eu-west-1:310987654321:alias/acme-log-archive', accountId: '510987654321', region: 'eu-west-1', accountLabel: 'dev', logRetentionDays: 30, alarmTopicArns: ['arn:aws:sns:eu-west-1:510987654321:x'] }),
      /kmsKeyArn "arn:aws:kms:eu-west-1:310987654321:alias\/acme-log-archive" is an alias; CloudTrail reads back the key ARN.*Pass the key ARN/,
    ],
    [
      'AuditTrail without a topic',
      (s: any) => new AuditTrail(s, 't', { organization: platform.organization, kmsKeyArn: KEY_ARN, accountId: '510987654321', region: 'eu-west-1', accountLabel: 'dev', logRetentionDays: 30, alarmTopicArns: [] }),
      /alarmTopicArns is empty/,
    ],
    [
      'Backups copying without a DR provider',
      (s: any) => new Backups(s, 'b', { environment: 'dev', accountId: '510987654321', region: 'eu-west-1', notificationTopicArn: 'arn:aws:sns:eu-west-1:510987654321:x', settings: { enabled: true, retentionDays: 7, schedule: 'cron(0 3 * * ? *)', copyToRegion: 'eu-central-1', vaultLock: false, resources: ['arn:aws:rds:eu-west-1:510987654321:db:dev-api'] } }),
      /settings.copyToRegion is "eu-central-1" but no copyProvider was given/,
    ],
    [
      'Backups locking a vault with a short retention',
      (s: any) => new Backups(s, 'b', { environment: 'dev', accountId: '510987654321', region: 'eu-west-1', notificationTopicArn: 'arn:aws:sns:eu-west-1:510987654321:x', settings: { enabled: true, retentionDays: 3, schedule: 'cron(0 3 * * ? *)', vaultLock: true, resources: ['arn:aws:rds:eu-west-1:510987654321:db:dev-api'] } }),
      /settings.retentionDays is 3; a locked vault needs at least 7/,
    ],
    ['EndpointChecks with a duplicate name', (s: any) => new EndpointChecks(s, 'e', { environment: 'dev', endpoints: [endpoint, endpoint], topicArn: 'arn:aws:sns:us-east-1:510987654321:x' }), /endpoint "api" is listed twice/],
    ['EnvironmentDashboard with a service name SEARCH cannot hold', (s: any) => new EnvironmentDashboard(s, 'd', { environment: 'dev', region: 'eu-west-1', serviceNames: ["a'b"] }), /service name "a'b" cannot be used/],
    ['SecurityBaseline with a malformed account', (s: any) => new SecurityBaseline(s, 'b', { accountId: '123', region: 'eu-west-1', accountLabel: 'x' }), /accountId "123" is not a 12-digit account id/],
  ])('%s throws', (_situation, build, message) => {
    expect(() => build(newTestStack('dev', 'misuse'))).toThrow(message);
  });
});
