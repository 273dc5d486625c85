/**
 * The central archive of the log-archive account: the logs stay outside the workloads that
 * produced them (what auto-scaling removed can still be investigated).
 *
 * - the archive bucket (`logArchiveBucketName`): versioned, SSE-KMS with the archive key,
 *   object lock (mode and retention from the shared environment's `observability.archive`),
 *   lifecycle to STANDARD_IA then GLACIER, TLS-only, public access blocked. Its policy admits
 *   exactly CloudTrail, log delivery (VPC and Transit Gateway flow logs) and AWS Config, each from the
 *   platform's own accounts and each account only below its own prefix (ARCHIVE_PREFIXES), and
 *   AWS Config of the accounts that record themselves (`configRecordingAccounts`);
 * - the ALB access-log bucket (`albLogBucketName`): ELB log delivery writes SSE-S3 only.
 *
 * WAF logs stay in each workload account (a CloudWatch Logs group of the web ACL, see
 * modules/containers/web-acl.ts): AWS WAF delivers only to a destination in the web ACL's account.
 */
import { Construct } from 'constructs';
import { S3BucketObjectLockConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration';
import type { S3BucketLifecycleConfigurationRule } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import type { Platform } from '../../environments/load';
import { ARCHIVE_PREFIXES, albLogBucketName, flowLogArchiveKeys, logArchiveBucketName, logDeliverySourceArn } from '../core/shared-names';
import type { PolicyStatement } from '../core/iam';
import { SecureBucket } from '../core/secure-bucket';
import { suppress } from '../guardrails/suppressions';
import { CustomerManagedKey } from '../core/customer-managed-key';
import { CONFIG_SERVICE, ELB_LOG_DELIVERY_ACCOUNTS, ELB_LOG_DELIVERY_SERVICE } from './defaults';
import { logArchiveKeyAlias } from './archive-names';
import { observabilitySettings, type ArchiveSettings } from './settings';
import { protect } from '../core/protection';

/** The delivery services the archive bucket admits, and nothing else. */
export const ARCHIVE_DELIVERY_SERVICES = {
  cloudTrail: 'cloudtrail.amazonaws.com',
  logDelivery: 'delivery.logs.amazonaws.com',
  config: CONFIG_SERVICE,
} as const;

export interface LogArchiveProps {
  readonly platform: Platform;
  /** @default - the shared environment's `observability.archive`, defaults applied */
  readonly archive?: ArchiveSettings;
}

/** Accounts of the platform: every environment's plus the organization's. */
export function platformAccountIds(platform: Platform): string[] {
  const accounts = platform.organization.accounts;
  return [...new Set([...platform.environments.map((env) => env.accountId), accounts.logArchive.accountId, accounts.tooling.accountId])].sort();
}

/**
 * Accounts whose AWS Config records itself and delivers to the archive: every account of an
 * environment without `observability.organizationManaged.config` (the shared environment's
 * setting covers the log-archive and tooling accounts, which its stack secures).
 */
export function configRecordingAccounts(platform: Platform): string[] {
  const accounts = platform.environments
    .filter((env) => !observabilitySettings(env).organizationManaged.config)
    .flatMap((env) => [env.accountId, ...Object.values(env.organization?.accounts ?? {}).map((account) => account.accountId)]);
  return [...new Set(accounts)].sort();
}

const OWNER_FULL_CONTROL = { 's3:x-amz-acl': 'bucket-owner-full-control' };

export class LogArchive extends Construct {
  readonly key: CustomerManagedKey;
  readonly archive: SecureBucket;
  readonly albLogs: SecureBucket;

  constructor(scope: Construct, id: string, props: LogArchiveProps) {
    const archive = props.archive ?? observabilitySettings(props.platform.shared).archive;
    if (archive.objectLockRetentionDays < 1) {
      throw new Error(`LogArchive ${id}: archive.objectLockRetentionDays is ${archive.objectLockRetentionDays}; object lock needs at least 1 day`);
    }
    super(scope, id);
    const platform = props.platform;
    const org = platform.organization;
    const region = platform.shared.region;
    const logArchiveAccount = org.accounts.logArchive.accountId;
    const allAccounts = platformAccountIds(platform);
    const workloads = platform.environments.filter((env) => env.organization === undefined);
    const configAccounts = configRecordingAccounts(platform);

    this.key = new CustomerManagedKey(this, 'key', {
      description: 'Central log archive (CloudTrail, flow logs, AWS Config)',
      aliasName: `alias/${logArchiveKeyAlias(org)}`,
      accountId: logArchiveAccount,
      region,
      statements: [
        {
          Sid: 'CloudTrailEncryptsLogs',
          Effect: 'Allow',
          Principal: { Service: ARCHIVE_DELIVERY_SERVICES.cloudTrail },
          Action: 'kms:GenerateDataKey*',
          Resource: '*',
          Condition: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': allAccounts.map((account) => `arn:aws:cloudtrail:*:${account}:trail/*`) } },
        },
        { Sid: 'CloudTrailDescribesKey', Effect: 'Allow', Principal: { Service: ARCHIVE_DELIVERY_SERVICES.cloudTrail }, Action: 'kms:DescribeKey', Resource: '*' },
        {
          Sid: 'LogDeliveryUsesKey',
          Effect: 'Allow',
          Principal: { Service: ARCHIVE_DELIVERY_SERVICES.logDelivery },
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
          Resource: '*',
          Condition: { StringEquals: { 'aws:SourceAccount': allAccounts } },
        },
        ...(configAccounts.length > 0
          ? [
              {
                Sid: 'ConfigEncryptsDeliveries',
                Effect: 'Allow' as const,
                Principal: { Service: ARCHIVE_DELIVERY_SERVICES.config },
                Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
                Resource: '*',
                Condition: { StringEquals: { 'aws:SourceAccount': configAccounts } },
              },
            ]
          : []),
      ],
    });

    this.archive = new SecureBucket(this, 'archive', {
      bucketName: logArchiveBucketName(org),
      kmsKeyArn: this.key.arn,
      objectLockEnabled: true,
      lifecycleRules: [archiveLifecycle(archive)],
      policyStatements: (arn) => [...archivePolicy(arn, platform, allAccounts), ...configDeliveryPolicy(arn, configAccounts)],
    });
    const objectLock = new S3BucketObjectLockConfigurationA(this, 'archive_object_lock', {
      bucket: this.archive.bucket.id,
      rule: { defaultRetention: { mode: archive.objectLockMode, days: archive.objectLockRetentionDays } },
      dependsOn: [this.archive.versioning],
    });
    protect(objectLock, 'object lock of the log archive: without it archived logs can be deleted before their retention ends');

    const elbAccount = ELB_LOG_DELIVERY_ACCOUNTS[region];
    this.albLogs = new SecureBucket(this, 'alb_logs', {
      bucketName: albLogBucketName(org),
      lifecycleRules: [archiveLifecycle(archive, 'alb-logs-to-cheaper-storage')],
      policyStatements: (arn) =>
        workloads.map((env): PolicyStatement => ({
          Sid: `ElbAccessLogs${sidOf(env.name)}`,
          Effect: 'Allow',
          Principal: elbAccount ? { AWS: `arn:aws:iam::${elbAccount}:root` } : { Service: ELB_LOG_DELIVERY_SERVICE },
          Action: 's3:PutObject',
          Resource: `${arn}/${ARCHIVE_PREFIXES.albAccessLogs(env.name)}/AWSLogs/${env.accountId}/*`,
          ...(elbAccount ? {} : { Condition: { StringEquals: { 'aws:SourceAccount': env.accountId } } }),
        })),
    });
    suppress(this.albLogs, 'PLAT-TIER-6', 'ELB access-log delivery writes to SSE-S3 buckets only; the bucket holds access logs, no workload data');
  }
}

function archiveLifecycle(archive: ArchiveSettings, id = 'archive-to-cheaper-storage'): S3BucketLifecycleConfigurationRule {
  return {
    id,
    status: 'Enabled',
    filter: [{}],
    transition: [
      { days: archive.infrequentAccessAfterDays, storageClass: 'STANDARD_IA' },
      { days: archive.glacierAfterDays, storageClass: 'GLACIER' },
    ],
    expiration: [{ days: archive.expireAfterDays }],
    noncurrentVersionExpiration: [{ noncurrentDays: archive.expireAfterDays }],
  };
}

/** CloudTrail of every platform account, flow logs of every environment and of the hub's Transit Gateway. */
function archivePolicy(arn: string, platform: Platform, allAccounts: readonly string[]): PolicyStatement[] {
  const cloudTrail = ARCHIVE_DELIVERY_SERVICES.cloudTrail;
  const hubAccount = platform.shared.accountId;
  return [
    {
      Sid: 'CloudTrailAclCheck',
      Effect: 'Allow',
      Principal: { Service: cloudTrail },
      Action: 's3:GetBucketAcl',
      Resource: arn,
      Condition: { StringEquals: { 'aws:SourceAccount': [...allAccounts] } },
    },
    ...allAccounts.map((account) => ({
      Sid: `CloudTrailWrite${account}`,
      Effect: 'Allow' as const,
      Principal: { Service: cloudTrail },
      Action: 's3:PutObject',
      Resource: `${arn}/${ARCHIVE_PREFIXES.cloudTrail}/AWSLogs/${account}/*`,
      Condition: { StringEquals: { ...OWNER_FULL_CONTROL, 'aws:SourceAccount': account } },
    })),
    logDeliveryAclCheck(arn, platform.environments.map((env) => env.accountId)),
    // Flow logs are written with Hive-compatible partitions (flowLogArchiveKeys), as the delivering account's CloudWatch Logs.
    ...platform.environments.map((env) =>
      logDeliveryWrite(
        `FlowLogs${sidOf(env.name)}`,
        `${arn}/${flowLogArchiveKeys(ARCHIVE_PREFIXES.flowLogs(env.name), env.accountId)}`,
        env.accountId,
        logDeliverySourceArn(env.region, env.accountId),
      ),
    ),
    logDeliveryWrite(
      'TransitGatewayFlowLogs',
      `${arn}/${flowLogArchiveKeys(ARCHIVE_PREFIXES.transitGatewayFlowLogs, hubAccount)}`,
      hubAccount,
      logDeliverySourceArn(platform.shared.region, hubAccount),
    ),
  ];
}

/**
 * AWS Config delivering from other accounts as its service principal: bucket ACL and existence
 * checks, then objects below `config/AWSLogs/<account>/Config/` of each account only
 * (https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html).
 */
function configDeliveryPolicy(arn: string, accounts: readonly string[]): PolicyStatement[] {
  if (accounts.length === 0) return [];
  const service = ARCHIVE_DELIVERY_SERVICES.config;
  const fromAccounts = { StringEquals: { 'aws:SourceAccount': [...accounts] } };
  return [
    { Sid: 'ConfigAclCheck', Effect: 'Allow', Principal: { Service: service }, Action: 's3:GetBucketAcl', Resource: arn, Condition: fromAccounts },
    { Sid: 'ConfigBucketExistenceCheck', Effect: 'Allow', Principal: { Service: service }, Action: 's3:ListBucket', Resource: arn, Condition: fromAccounts },
    ...accounts.map((account) => ({
      Sid: `ConfigWrite${account}`,
      Effect: 'Allow' as const,
      Principal: { Service: service },
      Action: 's3:PutObject',
      Resource: `${arn}/${ARCHIVE_PREFIXES.config}/AWSLogs/${account}/Config/*`,
      Condition: { StringEquals: { ...OWNER_FULL_CONTROL, 'aws:SourceAccount': account } },
    })),
  ];
}

function logDeliveryAclCheck(arn: string, accounts: readonly string[]): PolicyStatement {
  return {
    Sid: 'LogDeliveryAclCheck',
    Effect: 'Allow',
    Principal: { Service: ARCHIVE_DELIVERY_SERVICES.logDelivery },
    Action: ['s3:GetBucketAcl', 's3:ListBucket'],
    Resource: arn,
    Condition: { StringEquals: { 'aws:SourceAccount': [...new Set(accounts)].sort() } },
  };
}

/** `sourceArn`: the `aws:SourceArn` log delivery presents (logDeliverySourceArn), when the statement pins it. */
function logDeliveryWrite(sid: string, resource: string, account: string, sourceArn?: string): PolicyStatement {
  return {
    Sid: sid,
    Effect: 'Allow',
    Principal: { Service: ARCHIVE_DELIVERY_SERVICES.logDelivery },
    Action: 's3:PutObject',
    Resource: resource,
    Condition: {
      StringEquals: { ...OWNER_FULL_CONTROL, 'aws:SourceAccount': account },
      ...(sourceArn ? { ArnLike: { 'aws:SourceArn': sourceArn } } : {}),
    },
  };
}

/** `my-env` -> `MyEnv` (statement ids are alphanumeric). */
function sidOf(name: string): string {
  return name.split(/[^a-zA-Z0-9]/).map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}
