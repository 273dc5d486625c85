/**
 * Names of organization-wide resources that other stacks point at without a cross-stack
 * reference (they are known from config alone), defined once here so producer and consumers
 * always agree.
 */
import type { EnvironmentConfig, OrganizationConfig } from '../../environments/schema';

export const ALERT_SEVERITIES = ['critical', 'warning'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** The central log archive (versioned, KMS, object lock): CloudTrail and VPC flow logs. */
export function logArchiveBucketName(org: OrganizationConfig): string {
  return `${org.namePrefix}-log-archive-${org.accounts.logArchive.accountId}`;
}

/** ALB access logs: ELB log delivery supports SSE-S3 only, so they have their own archive bucket. */
export function albLogBucketName(org: OrganizationConfig): string {
  return `${org.namePrefix}-alb-logs-${org.accounts.logArchive.accountId}`;
}

/** Alias of the KMS key of Terraform state, created by shared-bootstrap in the tooling account. */
export const STATE_KEY_ALIAS = 'alias/platform/terraform-state';

/**
 * Alias ARN of the state key: what every S3 backend names in `kms_key_id` (Terraform's S3
 * backend accepts a key or alias ARN there, and S3 resolves the alias in the tooling account).
 * The key is in the state bucket's region (`organization.state.region`, checked to be the
 * shared environment's, where shared-bootstrap creates both).
 */
export function stateKeyAliasArn(org: OrganizationConfig): string {
  return `arn:aws:kms:${org.state.region}:${org.accounts.tooling.accountId}:${STATE_KEY_ALIAS}`;
}

/** Key prefix of each delivery inside the archive buckets, per environment. */
export const ARCHIVE_PREFIXES = {
  flowLogs: (env: string) => `vpc-flow-logs/${env}`,
  transitGatewayFlowLogs: 'tgw-flow-logs',
  cloudTrail: 'cloudtrail',
  config: 'config',
  albAccessLogs: (env: string) => `alb/${env}`,
} as const;

/**
 * The keys log delivery writes VPC and Transit Gateway flow logs under, below `prefix`, with the
 * archive's destination options (Hive-compatible partitions, `modules/network/private/archive-destination.ts`):
 * `<prefix>/AWSLogs/aws-account-id=<id>/aws-service=vpcflowlogs/aws-region=<region>/year=<y>/...`.
 * Without Hive partitions it would be `<prefix>/AWSLogs/<id>/vpcflowlogs/...`.
 * https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html
 */
export function flowLogArchiveKeys(prefix: string, accountId: string): string {
  return `${prefix}/AWSLogs/aws-account-id=${accountId}/*`;
}

/** `aws:SourceArn` of a log delivery from an account: log delivery signs as CloudWatch Logs of that account and region. */
export function logDeliverySourceArn(region: string, accountId: string): string {
  return `arn:aws:logs:${region}:${accountId}:*`;
}

/** SNS topic of an environment's alerts of one severity (created by `<env>-observability`). */
export function alertTopicName(env: string, severity: AlertSeverity): string {
  return `${env}-alerts-${severity}`;
}

export function alertTopicArn(env: EnvironmentConfig, severity: AlertSeverity): string {
  return `arn:aws:sns:${env.region}:${env.accountId}:${alertTopicName(env.name, severity)}`;
}

/** ECR registry of the tooling account, where every image is built once and promoted by tag or digest. */
export function registryHost(org: OrganizationConfig, region: string): string {
  return `${org.accounts.tooling.accountId}.dkr.ecr.${region}.amazonaws.com`;
}

/**
 * IAM roles of a container service, named deterministically so the secrets layer can name a
 * service's execution role as a reader before the platform layer creates it.
 */
export function serviceExecutionRoleName(env: string, service: string): string {
  return `${env}-${service}-execution`;
}

export function serviceTaskRoleName(env: string, service: string): string {
  return `${env}-${service}-task`;
}

/** Role name prefix of the platform team's administrators in the tooling account (break-glass and manual applies). */
export const PLATFORM_ADMIN_ROLE_PREFIX = 'platform-admin';

export function roleArn(accountId: string, roleName: string): string {
  return `arn:aws:iam::${accountId}:role/${roleName}`;
}

/**
 * Roles in the network hub account through which one spoke environment's network stack finishes
 * its Transit Gateway attachment (created by shared-network-hub, assumed by the spoke's CI roles).
 */
export function spokeAttachmentRoleName(env: string, kind: 'apply' | 'plan'): string {
  return kind === 'apply' ? `platform-network-attach-${env}` : `platform-network-attach-${env}-read`;
}

/**
 * A secret of `env` by name, without the random suffix Secrets Manager appends to its ARN: a
 * partial ARN that `GetSecretValue` accepts from any account of the organization, and the IAM
 * resource pattern (`-??????`) that matches the full ARN.
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_iam-permissions.html#iam-resources
 */
export function secretPartialArn(env: Pick<EnvironmentConfig, 'region' | 'accountId'>, fullName: string): string {
  return `arn:aws:secretsmanager:${env.region}:${env.accountId}:secret:${fullName}`;
}

export function secretArnPattern(env: Pick<EnvironmentConfig, 'region' | 'accountId'>, fullName: string): string {
  return `${secretPartialArn(env, fullName)}-??????`;
}
