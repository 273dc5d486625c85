import { LogEncryptionKey } from '../../../modules/containers';
import { newTestStack, resourcesOf, synthJson } from '../../helpers/platform';

describe('LogEncryptionKey', () => {
  it('rotates and lets CloudWatch Logs of its account and region use it', () => {
    const stack = newTestStack('dev');
    new LogEncryptionKey(stack, 'logs_key', { aliasName: 'alias/dev-platform-logs', accountId: '510987654321', region: 'eu-west-1' });
    const json = synthJson(stack);
    const key = resourcesOf(json, 'aws_kms_key').logs_key;
    expect(key.enable_key_rotation).toBe(true);
    expect(key.policy).toContain('logs.eu-west-1.amazonaws.com');
    expect(key.policy).toContain('arn:aws:logs:eu-west-1:510987654321:log-group:*');
    expect(resourcesOf(json, 'aws_kms_alias').logs_key_alias.name).toBe('alias/dev-platform-logs');
  });
  it('refuses an alias outside alias/ or in the AWS namespace', () => {
    const stack = newTestStack('dev');
    expect(() => new LogEncryptionKey(stack, 'a', { aliasName: 'alias/aws/logs', accountId: '510987654321', region: 'eu-west-1' })).toThrow(/must start with "alias\/" and not "alias\/aws\/" \(got "alias\/aws\/logs"\)/);
  });
});
