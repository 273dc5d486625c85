import { Testing } from 'cdktf';
import { SecretsKey, type SecretsKeyProps } from '../../../modules/secrets/secrets-key';
import { emptyStack, platformWithSecrets, statementsOf } from './helpers';

const ADMIN = 'arn:aws:iam::510987654321:role/platform-deploy';
const READER = 'arn:aws:iam::510987654321:role/dev-api-execution';
const CROSS = 'arn:aws:iam::710987654321:role/prod-api-execution';

function build(overrides: Partial<SecretsKeyProps> = {}, grant?: (key: SecretsKey) => void) {
  const stack = emptyStack(platformWithSecrets());
  const key = new SecretsKey(stack, 'secrets_key', {
    accountId: '510987654321',
    region: 'eu-west-1',
    aliasName: 'alias/dev/secrets',
    description: 'test',
    deletionWindowDays: 7,
    administratorArns: [ADMIN],
    ...overrides,
  });
  grant?.(key);
  const json = JSON.parse(Testing.synth(stack));
  return { key, json, policy: statementsOf(json.resource.aws_kms_key.secrets_key.policy) };
}

describe('SecretsKey', () => {
  describe('the key', () => {
    it('rotates, is multi-region from the start and has its alias', () => {
      const { json } = build();
      expect(json.resource.aws_kms_key.secrets_key).toMatchObject({ enable_key_rotation: true, multi_region: true, deletion_window_in_days: 7 });
      expect(json.resource.aws_kms_alias.secrets_key_alias).toMatchObject({ name: 'alias/dev/secrets', target_key_id: '${aws_kms_key.secrets_key.key_id}' });
    });
  });

  describe('key policy', () => {
    it('lets administrators manage but never decrypt outside Secrets Manager', () => {
      const { policy } = build();
      const admin = policy.KeyAdministration;
      expect(admin.Condition).toEqual({ ArnEquals: { 'aws:PrincipalArn': [ADMIN] } });
      for (const action of ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*', 'kms:CreateGrant', 'kms:*', 'kms:Create*']) {
        expect(admin.Action).not.toContain(action);
      }
      expect(policy.AdministratorsWriteThroughSecretsManager.Condition!.StringEquals).toEqual({ 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' });
    });

    it('has no decrypt statement until a reader is granted', () => {
      expect(build().policy.ReadersDecryptThroughSecretsManager).toBeUndefined();
    });

    it('lets granted readers decrypt only through Secrets Manager, naming each role', () => {
      const { policy } = build({}, (key) => {
        key.grantDecrypt(READER);
        key.grantDecrypt(CROSS);
      });
      const readers = policy.ReadersDecryptThroughSecretsManager;
      expect(readers.Action).toEqual(['kms:Decrypt']);
      expect(readers.Principal).toEqual({ AWS: ['arn:aws:iam::510987654321:root', 'arn:aws:iam::710987654321:root'] });
      expect(readers.Condition).toEqual({
        StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' },
        ArnLike: { 'aws:PrincipalArn': [READER, CROSS] },
      });
    });

    it('gives no statement a wildcard principal', () => {
      const { policy } = build({ auditorArns: ['arn:aws:iam::510987654321:role/platform-plan'] }, (key) => key.grantDecrypt(READER));
      for (const statement of Object.values(policy)) expect(statement.Principal).not.toEqual('*');
    });
  });

  describe('misuse', () => {
    it.each([
      [{ aliasName: 'dev/secrets' }, /aliasName must look like alias\/<env>\/secrets .*got "dev\/secrets"/],
      [{ aliasName: 'alias/aws/secretsmanager' }, /aliasName .* not start with alias\/aws\//],
      [{ deletionWindowDays: 3 }, /deletionWindowDays must be a whole number from 7 to 30 \(got 3\)/],
      [{ administratorArns: [] }, /administratorArns must name at least one principal/],
      [{ administratorArns: ['arn:aws:iam::710987654321:role/platform-deploy'] }, /administratorArns must be principals of the key's account 510987654321/],
    ])('throws for %j', (overrides, message) => {
      expect(() => build(overrides as Partial<SecretsKeyProps>)).toThrow(message);
    });

    it('throws when a grant names no account', () => {
      expect(() => build({}, (key) => key.grantDecrypt('dev-api-execution'))).toThrow(/grantDecrypt needs an IAM principal ARN .*got "dev-api-execution"/);
    });
  });
});
