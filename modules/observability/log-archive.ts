/**
 * The central archive of the log-archive account: the logs stay outside the workloads that
 * produced them (what auto-scaling removed can still be investigated).
 *
 * - the archive bucket (`logArchiveBucketName`): versioned, SSE-KMS with the archive key,
 *   object lock (mode and retention from the shared environment's `observability.archive`),
 *   lifecycle to STANDARD_IA then GLACIER, TLS-only, public access blocked. Its policy admits
 *   exactly CloudTrail and log delivery (VPC and Transit Gateway flow logs), each from the
 *   platform's own accounts and each account only below its own prefix (ARCHIVE_PREFIXES);
 * - the ALB access-log bucket (`albLogBucketName`): ELB log delivery writes SSE-S3 only;
 * - the WAF log bucket (`wafLogBucketName`, `aws-waf-logs-` prefix), written by log delivery.
 */
import { Construct } from 'constructs';
import { S3BucketObjectLockConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration';
import type { S3BucketLifecycleConfigurationRule } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import type { Platform } from '../../environments/load';
import { ARCHIVE_PREFIXES, albLogBucketName, flowLogArchiveKeys, logArchiveBucketName, logDeliverySourceArn, wafLogBucketName } from '../core/shared-names';
import type { PolicyStatement } from '../core/iam';
import { SecureBucket } from '../core/secure-bucket';
import { suppress } from '../guardrails/suppressions';
import { CustomerManagedKey } from '../core/customer-managed-key';
import { ELB_LOG_DELIVERY_ACCOUNTS, ELB_LOG_DELIVERY_SERVICE } from './defaults';
import { logArchiveKeyAlias } from './archive-names';
import { observabilitySettings, type ArchiveSettings } from './settings';

/** The delivery services the archive bucket admits, and nothing else. */
export const ARCHIVE_DELIVERY_SERVICES = {
  cloudTrail: 'cloudtrail.amazonaws.com',
  logDelivery: 'delivery.logs.amazonaws.com',
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

const OWNER_FULL_CONTROL = { 's3:x-amz-acl': 'bucket-owner-full-control' };

export class LogArchive extends Construct {
  readonly key: CustomerManagedKey;
  readonly archive: SecureBucket;
  readonly albLogs: SecureBucket;
  readonly wafLogs: SecureBucket;

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

    this.key = new CustomerManagedKey(this, 'key', {
      description: 'Central log archive (CloudTrail, flow logs, WAF logs)',
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
      ],
    });

    this.archive = new SecureBucket(this, 'archive', {
      bucketName: logArchiveBucketName(org),
      kmsKeyArn: this.key.arn,
      objectLockEnabled: true,
      lifecycleRules: [archiveLifecycle(archive)],
      policyStatements: (arn) => archivePolicy(arn, platform, allAccounts),
    });
    new S3BucketObjectLockConfigurationA(this, 'archive_object_lock', {
      bucket: this.archive.bucket.id,
      rule: { defaultRetention: { mode: archive.objectLockMode, days: archive.objectLockRetentionDays } },
      dependsOn: [this.archive.versioning],
    });

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

    this.wafLogs = new SecureBucket(this, 'waf_logs', {
      bucketName: wafLogBucketName(org),
      kmsKeyArn: this.key.arn,
      lifecycleRules: [archiveLifecycle(archive, 'waf-logs-to-cheaper-storage')],
      policyStatements: (arn) => [
        logDeliveryAclCheck(arn, workloads.map((env) => env.accountId)),
        ...workloads.map((env) => logDeliveryWrite(`WafLogs${sidOf(env.name)}`, `${arn}/AWSLogs/${env.accountId}/*`, env.accountId)),
      ],
    });
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
