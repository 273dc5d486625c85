import { secretsReadPolicy } from '../../../modules/secrets/read-policy';
import { statementsOf } from './helpers';

describe('secretsReadPolicy', () => {
  const secret = { arn: 'arn:aws:secretsmanager:eu-west-1:510987654321:secret:/dev/api/db-password-AbCdEf', kmsKeyArn: 'arn:aws:kms:eu-west-1:510987654321:key/k1' };

  it('names exactly the listed secrets and their full key ARNs, through Secrets Manager only', () => {
    const policy = statementsOf(secretsReadPolicy([secret, secret], 'eu-west-1'));
    expect(policy.ReadListedSecrets.Resource).toEqual([secret.arn]);
    expect(policy.DecryptThroughSecretsManager).toMatchObject({ Resource: [secret.kmsKeyArn], Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } } });
    expect(JSON.stringify(policy)).not.toContain('"*"');
  });

  it('throws for an empty list', () => {
    expect(() => secretsReadPolicy([], 'eu-west-1')).toThrow(/secrets must list at least one secret/);
  });
});
