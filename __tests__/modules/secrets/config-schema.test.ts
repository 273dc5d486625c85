import { devSecretsError, EXAMPLE_SECRETS, platformWithSecrets, SAR_POSTGRES_SINGLE_USER, DEV_API_EXECUTION } from './helpers';
import { secretNameProblem, secretsConfigSchema } from '../../../modules/secrets/config-schema';
import { serviceNames } from '../../../modules/containers/config-schema';

const base = { name: 'api/db-password', description: 'db', readers: [DEV_API_EXECUTION], rotation: { intervalDays: 30, mechanism: 'aws-managed' } };
const FILE = /environments\/dev\/config\.ts/.source;

describe('secrets config section', () => {
  describe('valid sections', () => {
    it('accepts the example sections and applies the default', () => {
      const platform = platformWithSecrets();
      expect(platform.environment('dev').secrets).toHaveLength(2);
      expect(secretsConfigSchema.parse(undefined)).toEqual([]);
    });

    it.each(['api/db-password', 'platform/github-app-key', 'a/b/c.d_e+f=g@h'])('accepts the name %s', (name) => {
      expect(secretNameProblem('dev', name)).toBeUndefined();
    });
  });

  describe('bad input names environment, secret and field', () => {
    it.each([
      ['a character outside the allowed set', { ...base, name: 'api/db password' }, `${FILE}: secrets.api/db password.name: segment "db password" may hold only`],
      ['a single segment', { ...base, name: 'password' }, `${FILE}: secrets.password.name: must be a path of at least two segments`],
      ['a leading slash', { ...base, name: '/api/x' }, `${FILE}: secrets./api/x.name: must be a path`],
      ['an ARN-suffix lookalike', { ...base, name: 'api/key-abcdef' }, `secrets.api/key-abcdef.name: must not end in a dash and six characters`],
      ['interval 0', { ...base, rotation: { intervalDays: 0, mechanism: 'aws-managed' } }, `${FILE}: secrets.api/db-password.rotation.intervalDays: must be a whole number of days from 1 to 1000 \\(got 0\\)`],
      ['interval 1001', { ...base, rotation: { intervalDays: 1001, mechanism: 'aws-managed' } }, `secrets.api/db-password.rotation.intervalDays: .* \\(got 1001\\)`],
      ['interval 1.5', { ...base, rotation: { intervalDays: 1.5, mechanism: 'aws-managed' } }, `secrets.api/db-password.rotation.intervalDays: .* \\(got 1.5\\)`],
      ['replica in the primary region', { ...base, replicaRegion: 'eu-west-1' }, `${FILE}: secrets.api/db-password.replicaRegion: must differ from the primary region eu-west-1: .* \\(got "eu-west-1"\\)`],
      ['unknown replica region', { ...base, replicaRegion: 'mars-north-1' }, `secrets.api/db-password.replicaRegion: must be a known AWS region`],
      ['a reader naming an unknown service', { ...base, readers: ['billing'] }, `${FILE}: secrets.api/db-password.readers: names no service of dev and is no IAM role ARN; .* \\(got "billing"\\)`],
      ['a reader role outside the platform', { ...base, readers: ['arn:aws:iam::999999999999:role/x'] }, `secrets.api/db-password.readers: is a role in account 999999999999, which is no account of the platform`],
      ['no rotation and no manual rotation note', { ...base, rotation: undefined }, `secrets.api/db-password.manualRotation: is required when rotation is absent`],
      ['a bad SAR application id', { ...base, rotation: { intervalDays: 30, mechanism: { serverlessApplication: { ...SAR_POSTGRES_SINGLE_USER, applicationId: 'postgres' } } } }, `secrets.api/db-password.rotation.mechanism.serverlessApplication.applicationId: must be a Serverless Application Repository ARN`],
      ['an unpinned SAR version', { ...base, rotation: { intervalDays: 30, mechanism: { serverlessApplication: { ...SAR_POSTGRES_SINGLE_USER, semanticVersion: 'latest' } } } }, `serverlessApplication.semanticVersion: must be a pinned version`],
    ])('rejects %s', (_situation, secret, message) => {
      expect(devSecretsError([secret])).toMatch(new RegExp(message));
    });

    it('rejects two names that become the same Terraform name', () => {
      expect(devSecretsError([base, { ...base, name: 'api/db_password' }])).toMatch(/secrets\.api\/db_password\.name: collides with "api\/db-password" \(both become Terraform name api_db_password\)/);
    });

    it('rejects an unknown field with zod', () => {
      expect(devSecretsError([{ ...base, reader: ['api'] }])).toMatch(/secrets\.0: unknown field reader/);
    });

    it('reads the declared service names from services.list', () => {
      const env = { services: { list: [{ name: 'api' }] } } as never;
      expect(serviceNames(env)).toEqual(['api']);
    });
  });

  it('keeps the example sections valid', () => {
    expect(() => platformWithSecrets(EXAMPLE_SECRETS)).not.toThrow();
  });
});

describe('readers that name a service must be used by it (least privilege, issue 24)', () => {
  it('rejects a service reader whose secrets do not use the secret', () => {
    const secrets = [
      { name: 'api/db-password', description: 'x', readers: ['api', 'web'], rotation: { intervalDays: 30, mechanism: 'aws-managed' } },
      { name: 'api/payments-api-key', description: 'x', readers: ['api'], manualRotation: 'payments team rotates it by hand every quarter' },
    ];
    expect(devSecretsError(secrets)).toMatch(/secrets.api\/db-password.readers: names service web, whose secrets do not use api\/db-password; add it to services.web.secrets/);
  });
});
