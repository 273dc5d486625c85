import { Testing } from 'cdktf';
import { LogArchiveStack } from '../../stacks/log-archive-stack';
import { LogArchive, configRecordingAccounts, platformAccountIds } from '../../modules/observability/log-archive';
import { validatePlatform } from '../../environments/load';
import { asRaw, shippedConfigs } from '../helpers/environments';
import { decide, policyWith } from '../helpers/access';
import { albLogBucketName, logArchiveBucketName } from '../../modules/core/shared-names';
import { parseJsonencode } from '../../modules/core/jsonencode-reader';
import { shippedPlatform, resourcesOf, synthJson } from '../helpers/platform';

const platform = shippedPlatform();
const org = platform.organization;
const json = synthJson(new LogArchiveStack(Testing.app(), { platform }));
const buckets = resourcesOf(json, 'aws_s3_bucket');
const policies = resourcesOf(json, 'aws_s3_bucket_policy');
/** A policy as written in the JSON: plain JSON, or `${jsonencode(...)}` when it holds references. */
const policyJson = (text: string): any => (text.startsWith('${jsonencode(') ? parseJsonencode(text) : JSON.parse(text));
const policyOf = (name: string) => policyJson(policies[`logs_${name}_policy`].policy);
const allows = (name: string) => policyOf(name).Statement.filter((s: any) => s.Effect === 'Allow');
const ACCOUNTS = ['210987654321', '310987654321', '410987654321', '510987654321', '610987654321', '710987654321'];

describe('shared-log-archive', () => {
  it('deploys into the log-archive account', () => {
    expect(json.provider.aws[0]).toMatchObject({ allowed_account_ids: [org.accounts.logArchive.accountId] });
  });

  it('counts every environment and organization account as a platform account', () => {
    expect(platformAccountIds(platform)).toEqual(ACCOUNTS);
  });

  describe('the archive bucket', () => {
    it('is named from config and has object lock enabled at creation', () => {
      expect(buckets.logs_archive_bucket).toMatchObject({ bucket: logArchiveBucketName(org), object_lock_enabled: true });
    });

    it('is versioned and encrypted with the archive key', () => {
      expect(resourcesOf(json, 'aws_s3_bucket_versioning').logs_archive_versioning.versioning_configuration).toEqual({ status: 'Enabled' });
      const rule = resourcesOf(json, 'aws_s3_bucket_server_side_encryption_configuration').logs_archive_encryption.rule[0];
      expect(rule.apply_server_side_encryption_by_default).toEqual({
        sse_algorithm: 'aws:kms',
        kms_master_key_id: 'arn:aws:kms:eu-west-1:310987654321:key/${aws_kms_key.logs_key.key_id}',
      });
    });

    it('locks objects with the mode and retention of the shared config', () => {
      expect(resourcesOf(json, 'aws_s3_bucket_object_lock_configuration').logs_archive_object_lock.rule).toEqual({
        default_retention: { mode: 'COMPLIANCE', days: 365 },
      });
    });

    it('moves logs to STANDARD_IA then GLACIER', () => {
      const rules = resourcesOf(json, 'aws_s3_bucket_lifecycle_configuration').logs_archive_lifecycle.rule;
      const archive = rules.find((rule: any) => rule.id === 'archive-to-cheaper-storage');
      expect(archive.transition).toEqual([
        { days: 30, storage_class: 'STANDARD_IA' },
        { days: 90, storage_class: 'GLACIER' },
      ]);
      expect(archive.expiration).toEqual([{ days: 2557 }]);
    });

    it('blocks public access and denies requests without TLS', () => {
      expect(resourcesOf(json, 'aws_s3_bucket_public_access_block').logs_archive_public_access).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
      const deny = policyOf('archive').Statement.find((s: any) => s.Effect === 'Deny');
      expect(deny).toMatchObject({ Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    });

    it('admits exactly CloudTrail, log delivery and AWS Config, nobody else', () => {
      const principals = new Set(allows('archive').map((s: any) => JSON.stringify(s.Principal)));
      expect([...principals].sort()).toEqual([
        JSON.stringify({ Service: 'cloudtrail.amazonaws.com' }),
        JSON.stringify({ Service: 'config.amazonaws.com' }),
        JSON.stringify({ Service: 'delivery.logs.amazonaws.com' }),
      ]);
    });

    it('admits only the platform accounts, each below its own prefix', () => {
      const bucket = '${aws_s3_bucket.logs_archive_bucket.arn}';
      const writes = allows('archive').filter((s: any) => s.Action === 's3:PutObject');
      const sources = new Set<string>();
      for (const statement of writes) {
        const account = statement.Condition.StringEquals['aws:SourceAccount'];
        sources.add(account);
        // CloudTrail and Config write AWSLogs/<id>/, flow log delivery (Hive prefixes) AWSLogs/aws-account-id=<id>/.
        expect(statement.Resource).toMatch(
          new RegExp(`^\\$\\{aws_s3_bucket\\.logs_archive_bucket\\.arn\\}/[a-z-]+(/[a-z]+)?/AWSLogs/(${account}/(Config/)?|aws-account-id=${account}/)\\*$`),
        );
        expect(statement.Condition.StringEquals['s3:x-amz-acl']).toBe('bucket-owner-full-control');
      }
      expect([...sources].sort()).toEqual(ACCOUNTS);
      for (const statement of allows('archive').filter((s: any) => s.Action !== 's3:PutObject')) {
        expect(statement.Resource).toBe(bucket);
        for (const account of [statement.Condition.StringEquals['aws:SourceAccount']].flat()) expect(ACCOUNTS).toContain(account);
      }
    });

    it.each([
      ['CloudTrailWrite510987654321', 'cloudtrail.amazonaws.com', 'cloudtrail/AWSLogs/510987654321/*'],
      ['FlowLogsDev', 'delivery.logs.amazonaws.com', 'vpc-flow-logs/dev/AWSLogs/aws-account-id=510987654321/*'],
      ['FlowLogsProd', 'delivery.logs.amazonaws.com', 'vpc-flow-logs/prod/AWSLogs/aws-account-id=710987654321/*'],
      ['TransitGatewayFlowLogs', 'delivery.logs.amazonaws.com', 'tgw-flow-logs/AWSLogs/aws-account-id=210987654321/*'],
    ])('statement %s lets %s write %s', (sid, service, suffix) => {
      const statement = allows('archive').find((s: any) => s.Sid === sid);
      expect(statement).toMatchObject({ Principal: { Service: service }, Resource: `\${aws_s3_bucket.logs_archive_bucket.arn}/${suffix}` });
    });
  });

  describe('AWS Config delivery (proven by iam-simulate over the synthesized bucket and key policies)', () => {
    // Config delivers to a bucket of another account as config.amazonaws.com, under
    // <prefix>/AWSLogs/<account>/Config/<region>/<yyyy>/<m>/<d>/ConfigHistory|ConfigSnapshot/..., with
    // s3:x-amz-acl bucket-owner-full-control and aws:SourceAccount, after GetBucketAcl and ListBucket checks:
    // https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html; it encrypts with the
    // delivery channel's key as config.amazonaws.com: https://docs.aws.amazon.com/config/latest/developerguide/s3-kms-key-policy.html
    const LOG_ARCHIVE = '310987654321';
    const bucketArn = `arn:aws:s3:::${logArchiveBucketName(org)}`;
    const keyArn = `arn:aws:kms:eu-west-1:${LOG_ARCHIVE}:key/0f0f0f0f-1111-2222-3333-444455556666`;
    const refs = { 'aws_s3_bucket.logs_archive_bucket.arn': bucketArn };
    const bucketPolicy = policyWith(policies.logs_archive_policy.policy, refs);
    const keyPolicy = policyWith(resourcesOf(json, 'aws_kms_key').logs_key.policy, refs);
    const historyKey = (account: string) =>
      `config/AWSLogs/${account}/Config/eu-west-1/2026/12/4/ConfigHistory/${account}_Config_eu-west-1_ConfigHistory_AWS::S3::Bucket_20261204T000000Z_20261204T010000Z_1.json.gz`;
    const asConfig = (action: string, resource: string, sourceAccount: string, extra: Record<string, string> = {}) =>
      decide({
        principal: 'config.amazonaws.com',
        action,
        resource,
        resourceAccount: LOG_ARCHIVE,
        context: { 'aws:SourceAccount': sourceAccount, 'aws:SecureTransport': 'true', ...extra },
        resourcePolicy: action.startsWith('kms:') ? keyPolicy : bucketPolicy,
      });

    it.each(ACCOUNTS)('lets Config of %s check the bucket, write its history and encrypt it', async (account) => {
      expect(await asConfig('s3:GetBucketAcl', bucketArn, account)).toBe('Allowed');
      expect(await asConfig('s3:ListBucket', bucketArn, account)).toBe('Allowed');
      expect(await asConfig('s3:PutObject', `${bucketArn}/${historyKey(account)}`, account, { 's3:x-amz-acl': 'bucket-owner-full-control' })).toBe('Allowed');
      expect(await asConfig('kms:GenerateDataKey', keyArn, account)).toBe('Allowed');
    });

    it('keeps each account below its own key, and strangers out', async () => {
      expect(await asConfig('s3:PutObject', `${bucketArn}/${historyKey('710987654321')}`, '510987654321', { 's3:x-amz-acl': 'bucket-owner-full-control' })).toBe('ImplicitlyDenied');
      expect(await asConfig('s3:PutObject', `${bucketArn}/${historyKey('999999999999')}`, '999999999999', { 's3:x-amz-acl': 'bucket-owner-full-control' })).toBe('ImplicitlyDenied');
      expect(await asConfig('kms:GenerateDataKey', keyArn, '999999999999')).toBe('ImplicitlyDenied');
      expect(await asConfig('s3:PutObject', `${bucketArn}/${historyKey('510987654321')}`, '510987654321', { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SecureTransport': 'false' })).toBe('ExplicitlyDenied');
    });

    it('admits no Config of an environment whose organization manages Config', () => {
      const configs = shippedConfigs();
      configs.dev.observability = { ...(configs.dev.observability ?? {}), organizationManaged: { config: true } };
      const edited = validatePlatform(asRaw(configs));
      expect(configRecordingAccounts(edited)).toEqual(ACCOUNTS.filter((account) => account !== '510987654321'));
      const editedJson = synthJson(new LogArchiveStack(Testing.app(), { platform: edited }));
      const statements = policyJson(resourcesOf(editedJson, 'aws_s3_bucket_policy').logs_archive_policy.policy).Statement;
      expect(statements.map((s: any) => s.Sid)).not.toContain('ConfigWrite510987654321');
      expect(statements.find((s: any) => s.Sid === 'ConfigAclCheck').Condition.StringEquals['aws:SourceAccount']).not.toContain('510987654321');
    });
  });

  describe('the archive key', () => {
    const key = resourcesOf(json, 'aws_kms_key').logs_key;
    const statements = JSON.parse(key.policy).Statement;

    it('rotates and admits the delivery services', () => {
      expect(key.enable_key_rotation).toBe(true);
      const services = statements.filter((s: any) => s.Principal.Service).map((s: any) => s.Principal.Service);
      expect(new Set(services)).toEqual(new Set(['cloudtrail.amazonaws.com', 'delivery.logs.amazonaws.com', 'config.amazonaws.com']));
    });

    it('lets CloudTrail encrypt only for trails of the platform accounts', () => {
      const trails = statements.find((s: any) => s.Sid === 'CloudTrailEncryptsLogs').Condition.StringLike['kms:EncryptionContext:aws:cloudtrail:arn'];
      expect(trails).toEqual(ACCOUNTS.map((account) => `arn:aws:cloudtrail:*:${account}:trail/*`));
    });

    it('has the alias every trail names', () => {
      expect(resourcesOf(json, 'aws_kms_alias').logs_key_alias.name).toBe('alias/acme-log-archive');
    });
  });

  describe('the ALB access-log bucket', () => {
    it('uses SSE-S3, the only encryption ELB log delivery supports', () => {
      expect(buckets.logs_alb_logs_bucket.bucket).toBe(albLogBucketName(org));
      const rule = resourcesOf(json, 'aws_s3_bucket_server_side_encryption_configuration').logs_alb_logs_encryption.rule[0];
      expect(rule.apply_server_side_encryption_by_default).toEqual({ sse_algorithm: 'AES256' });
    });

    it('admits only the eu-west-1 ELB account, for each workload below its prefix', () => {
      const statements = allows('alb_logs');
      expect(new Set(statements.map((s: any) => s.Principal.AWS))).toEqual(new Set(['arn:aws:iam::156460612806:root']));
      expect(statements.map((s: any) => s.Resource).sort()).toEqual([
        '${aws_s3_bucket.logs_alb_logs_bucket.arn}/alb/dev/AWSLogs/510987654321/*',
        '${aws_s3_bucket.logs_alb_logs_bucket.arn}/alb/prod/AWSLogs/710987654321/*',
        '${aws_s3_bucket.logs_alb_logs_bucket.arn}/alb/staging/AWSLogs/610987654321/*',
      ]);
    });
  });

  describe('WAF logs', () => {
    it('have no bucket here: AWS WAF delivers only to its own account, so they stay in each workload account', () => {
      // https://docs.aws.amazon.com/waf/latest/developerguide/logging-s3.html: the bucket must be in the web ACL's account.
      expect(Object.values(buckets).map((b: any) => b.bucket).filter((name: string) => name.startsWith('aws-waf-logs-'))).toEqual([]);
    });
  });

  it('rejects an object lock retention of zero at construction', () => {
    const stack = new LogArchiveStack(Testing.app(), { platform });
    expect(
      () =>
        new LogArchive(stack, 'other', {
          platform,
          archive: { objectLockMode: 'GOVERNANCE', objectLockRetentionDays: 0, infrequentAccessAfterDays: 30, glacierAfterDays: 90, expireAfterDays: 400 },
        }),
    ).toThrow(/archive.objectLockRetentionDays is 0; object lock needs at least 1 day/);
  });
});
