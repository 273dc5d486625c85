import { Testing } from 'cdktf';
import { ManagedSecret, type ManagedSecretProps } from '../../../modules/secrets/managed-secret';
import { SecretsKey } from '../../../modules/secrets/secrets-key';
import type { LayerStack } from '../../../stacks/layer-stack';
import { emptyStack, platformWithSecrets, statementsOf } from './helpers';

const DEPLOY = 'arn:aws:iam::510987654321:role/platform-deploy';
const PLAN = 'arn:aws:iam::510987654321:role/platform-plan';
const READER = 'arn:aws:iam::510987654321:role/dev-api-execution';
const CROSS = 'arn:aws:iam::710987654321:role/prod-api-execution';

function build(overrides: Partial<ManagedSecretProps> = {}, use?: (secret: ManagedSecret, stack: LayerStack) => void) {
  const stack = emptyStack(platformWithSecrets());
  const key = new SecretsKey(stack, 'secrets_key', {
    accountId: '510987654321', region: 'eu-west-1', aliasName: 'alias/dev/secrets', description: 'k', deletionWindowDays: 7, administratorArns: [DEPLOY],
  });
  const secret = new ManagedSecret(stack, 'api_db_password', {
    secretName: '/dev/api/db-password', description: 'db', key, organizationId: 'o-a1b2c3d4e5', administratorArns: [DEPLOY, PLAN], recoveryWindowDays: 7, ...overrides,
  });
  use?.(secret, stack);
  const json = JSON.parse(Testing.synth(stack));
  const resource = json.resource.aws_secretsmanager_secret.api_db_password;
  return { secret, json, resource, policy: statementsOf(resource.policy), keyPolicy: statementsOf(json.resource.aws_kms_key.secrets_key.policy) };
}

describe('ManagedSecret', () => {
  describe('the secret', () => {
    it('uses the customer key and the recovery window, and writes no value', () => {
      const { resource, json } = build();
      expect(resource).toMatchObject({ name: '/dev/api/db-password', kms_key_id: '${aws_kms_key.secrets_key.arn}', recovery_window_in_days: 7 });
      expect(json.resource.aws_secretsmanager_secret_version).toBeUndefined();
    });

    it('replicates with the replica key', () => {
      const { resource } = build({ replica: { region: 'eu-central-1', kmsKeyArn: 'arn:aws:kms:eu-central-1:510987654321:key/mrk-1' } });
      expect(resource.replica).toEqual([{ region: 'eu-central-1', kms_key_id: 'arn:aws:kms:eu-central-1:510987654321:key/mrk-1' }]);
    });

    it('writes a given value only through the write-only argument', () => {
      const { json } = build({ writeOnlyValue: { value: '${var.value}', version: 2 }, valueWriterArn: DEPLOY });
      const version = json.resource.aws_secretsmanager_secret_version.api_db_password_value;
      expect(version).toMatchObject({ secret_string_wo: '${var.value}', secret_string_wo_version: 2 });
      expect(version.secret_string).toBeUndefined();
      expect(version.secret_binary).toBeUndefined();
    });
  });

  describe('resource policy', () => {
    it('denies every principal but readers and administrators', () => {
      const { policy } = build({}, (secret) => secret.grantRead(READER));
      expect(policy.DenyAllButReadersAndAdministrators).toMatchObject({
        Effect: 'Deny', Principal: '*', Action: 'secretsmanager:*',
        Condition: { StringNotLike: { 'aws:PrincipalArn': [READER, DEPLOY, PLAN] }, BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } },
      });
    });

    it('denies the value to administrators: only readers get it', () => {
      const { policy } = build({}, (secret) => secret.grantRead(READER));
      expect(policy.DenyValueToAllButReaders.Condition!.StringNotLike).toEqual({ 'aws:PrincipalArn': [READER] });
    });

    it('denies requests without TLS and outside the organization', () => {
      const { policy } = build();
      expect(policy.DenyInsecureTransport.Condition).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });
      expect(policy.DenyOutsideOrganization.Condition!.StringNotEqualsIfExists).toEqual({ 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' });
    });

    it('allows readers GetSecretValue by principal ARN, and nobody without a grant', () => {
      expect(build().policy.AllowReaders).toBeUndefined();
      const { policy } = build({}, (secret) => secret.grantRead(READER));
      expect(policy.AllowReaders).toMatchObject({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::510987654321:root' }, Condition: { ArnEquals: { 'aws:PrincipalArn': [READER] } } });
      expect(policy.AllowReaders.Action).toContain('secretsmanager:GetSecretValue');
    });
  });

  describe('grantRead across accounts', () => {
    it('updates the resource policy and the key policy, and says the consumer needs its own policy', () => {
      let grant: ReturnType<ManagedSecret['grantRead']> | undefined;
      const { policy, keyPolicy } = build({}, (secret) => (grant = secret.grantRead(CROSS)));
      expect(policy.AllowReaders.Principal).toEqual({ AWS: 'arn:aws:iam::710987654321:root' });
      expect(keyPolicy.ReadersDecryptThroughSecretsManager.Condition!.ArnLike).toEqual({ 'aws:PrincipalArn': [CROSS] });
      expect(grant).toMatchObject({ principalArn: CROSS, crossAccount: true, region: 'eu-west-1', secretName: '/dev/api/db-password' });
    });

    it('throws for a pattern or a name', () => {
      expect(() => build({}, (secret) => secret.grantRead('arn:aws:iam::710987654321:role/*'))).toThrow(/grantRead needs one IAM role ARN/);
      expect(() => build({}, (secret) => secret.grantRead('api'))).toThrow(/grantRead needs one IAM role ARN .*got "api"/);
    });
  });

  describe('rotation', () => {
    it('is its own resource: the secret is identical with and without rotation (nothing forces a new secret)', () => {
      const plain = build().resource;
      const { resource, json } = build({}, (secret) => secret.rotate({ intervalDays: 30 }));
      expect(resource).toEqual(plain);
      expect(json.resource.aws_secretsmanager_secret_rotation.api_db_password_rotation).toMatchObject({
        secret_id: '${aws_secretsmanager_secret.api_db_password.arn}', rotate_immediately: false, rotation_rules: { automatically_after_days: 30 },
      });
    });

    it.each([0, 1001, 2.5])('throws for interval %p', (days) => {
      expect(() => build({}, (secret) => secret.rotate({ intervalDays: days }))).toThrow(new RegExp(`rotate intervalDays must be a whole number from 1 to 1000 \\(got ${days}\\)`));
    });

    it('throws when rotated twice', () => {
      expect(() => build({}, (secret) => { secret.rotate({ intervalDays: 1 }); secret.rotate({ intervalDays: 2 }); })).toThrow(/rotate was already called/);
    });
  });

  describe('misuse', () => {
    it.each([
      [{ secretName: 'dev/api' }, /secretName must be a path such as \/dev\/api\/db-password \(got "dev\/api"\)/],
      [{ secretName: '/dev//api' }, /secretName must be a path/],
      [{ recoveryWindowDays: 31 }, /recoveryWindowDays must be a whole number from 7 to 30 \(got 31\)/],
      [{ administratorArns: [] }, /administratorArns must name at least one principal/],
      [{ writeOnlyValue: { value: 'x', version: 1 } }, /writeOnlyValue needs valueWriterArn/],
      [{ writeOnlyValue: { value: 'x', version: 0 }, valueWriterArn: DEPLOY }, /writeOnlyValue.version must be a whole number >= 1 \(got 0\)/],
    ])('throws for %j', (overrides, message) => {
      expect(() => build(overrides as Partial<ManagedSecretProps>)).toThrow(message);
    });
  });
});
