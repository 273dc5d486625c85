/**
 * Every default of the observability module, named once. Per-tier tables are `PerTier<...>`;
 * an environment config overrides them in its `observability` section.
 */
import type { PerTier } from '../core/tier';
import type { AlertSeverity } from '../core/shared-names';

/** How a severity reaches people: `page` wakes someone up, `notify` lands in an inbox or chat. */
export type AlertDelivery = 'page' | 'notify';

/** Severity routing by tier: prod critical alerts page, everything else only notifies. */
export const SEVERITY_ROUTING: PerTier<Readonly<Record<AlertSeverity, AlertDelivery>>> = {
  dev: { critical: 'notify', warning: 'notify' },
  staging: { critical: 'notify', warning: 'notify' },
  prod: { critical: 'page', warning: 'notify' },
};

/** Alarm thresholds; every field is named with its unit. */
export interface AlarmThresholds {
  /** ECS service average CPU above this percentage. */
  readonly ecsCpuPercent: number;
  /** ECS service average memory above this percentage. */
  readonly ecsMemoryPercent: number;
  /** Running tasks this many (or more) below the desired count. */
  readonly ecsTasksBelowDesired: number;
  /** ALB-generated 5xx responses above this percentage of requests. */
  readonly alb5xxPercent: number;
  /** Target 5xx responses above this percentage of requests. */
  readonly target5xxPercent: number;
  /** p99 target response time above this many seconds. */
  readonly targetResponseTimeP99Seconds: number;
  /** Unhealthy targets of a target group above this count. */
  readonly unhealthyHosts: number;
  /** NAT gateway port allocation errors per period above this count. */
  readonly natPortAllocationErrors: number;
  /** NAT gateway dropped packets per period above this count. */
  readonly natPacketsDropped: number;
  /** Transit Gateway attachment dropped packets (blackhole + no route) per period above this count. */
  readonly tgwPacketsDropped: number;
  /** WAF blocked requests per period above this count (a spike: an attack or a bad rule). */
  readonly wafBlockedRequests: number;
  /** Consecutive periods a threshold must be breached before the alarm fires. */
  readonly evaluationPeriods: number;
}

export const ALARM_THRESHOLDS: PerTier<AlarmThresholds> = {
  dev: {
    ecsCpuPercent: 90,
    ecsMemoryPercent: 90,
    ecsTasksBelowDesired: 1,
    alb5xxPercent: 10,
    target5xxPercent: 10,
    targetResponseTimeP99Seconds: 5,
    unhealthyHosts: 0,
    natPortAllocationErrors: 0,
    natPacketsDropped: 1000,
    tgwPacketsDropped: 1000,
    wafBlockedRequests: 1000,
    evaluationPeriods: 3,
  },
  staging: {
    ecsCpuPercent: 85,
    ecsMemoryPercent: 85,
    ecsTasksBelowDesired: 1,
    alb5xxPercent: 5,
    target5xxPercent: 5,
    targetResponseTimeP99Seconds: 2,
    unhealthyHosts: 0,
    natPortAllocationErrors: 0,
    natPacketsDropped: 500,
    tgwPacketsDropped: 500,
    wafBlockedRequests: 500,
    evaluationPeriods: 3,
  },
  prod: {
    ecsCpuPercent: 80,
    ecsMemoryPercent: 80,
    ecsTasksBelowDesired: 1,
    alb5xxPercent: 1,
    target5xxPercent: 2,
    targetResponseTimeP99Seconds: 1,
    unhealthyHosts: 0,
    natPortAllocationErrors: 0,
    natPacketsDropped: 100,
    tgwPacketsDropped: 100,
    wafBlockedRequests: 200,
    evaluationPeriods: 2,
  },
};

/** The period of every metric alarm, in seconds. */
export const ALARM_PERIOD_SECONDS = 300;

/** A p99 latency threshold above this many seconds is almost certainly written in milliseconds. */
export const MAX_LATENCY_SECONDS = 60;

/** Retention of every log group the platform creates, by tier (the prod guardrail wants >= 365). */
export const LOG_RETENTION_DAYS: PerTier<number> = { dev: 30, staging: 90, prod: 365 };

/** Minimum log retention in prod (the guardrail's tier invariant). */
export const PROD_MIN_LOG_RETENTION_DAYS = 365;

/** Retention values CloudWatch Logs accepts. */
export const LOG_RETENTION_CHOICES = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Central archive defaults (the shared environment's `observability.archive`). */
export const ARCHIVE_DEFAULTS = {
  objectLockMode: 'GOVERNANCE',
  objectLockRetentionDays: 365,
  infrequentAccessAfterDays: 30,
  glacierAfterDays: 90,
  /** Seven years, the usual audit horizon. */
  expireAfterDays: 2557,
} as const;

/** S3 does not transition to STANDARD_IA before 30 days. */
export const MIN_INFREQUENT_ACCESS_DAYS = 30;

/**
 * ELB log-delivery accounts of the regions that predate the `logdelivery.elasticloadbalancing`
 * service principal; regions missing here use the service principal.
 */
export const ELB_LOG_DELIVERY_ACCOUNTS: Readonly<Record<string, string>> = {
  'us-east-1': '127311923021',
  'us-east-2': '033677994240',
  'us-west-1': '027434742980',
  'us-west-2': '797873946194',
  'ca-central-1': '985666609251',
  'eu-west-1': '156460612806',
  'eu-west-2': '652711504416',
  'eu-west-3': '009996457667',
  'eu-central-1': '054676820928',
  'eu-north-1': '897822967062',
  'eu-south-1': '635631232127',
  'ap-south-1': '718504428378',
  'ap-southeast-1': '114774131450',
  'ap-southeast-2': '783225319266',
  'ap-northeast-1': '582318560864',
  'ap-northeast-2': '600734575887',
  'ap-northeast-3': '383597477331',
  'sa-east-1': '507241528517',
  'af-south-1': '098369216593',
};

/** Service principal ELB access-log delivery uses in the newer regions. */
export const ELB_LOG_DELIVERY_SERVICE = 'logdelivery.elasticloadbalancing.amazonaws.com';

/** Backups by tier. */
export interface BackupDefaults {
  /** Days a recovery point is kept. */
  readonly retentionDays: number;
  /** Copy every recovery point to the DR region. */
  readonly crossRegionCopy: boolean;
  /** Lock the vault (recovery points cannot be deleted before their retention ends). */
  readonly vaultLock: boolean;
}

export const BACKUP_DEFAULTS: PerTier<BackupDefaults> = {
  dev: { retentionDays: 7, crossRegionCopy: false, vaultLock: false },
  staging: { retentionDays: 14, crossRegionCopy: false, vaultLock: false },
  prod: { retentionDays: 35, crossRegionCopy: true, vaultLock: true },
};

/** Daily at 03:00 UTC. */
export const BACKUP_SCHEDULE = 'cron(0 3 * * ? *)';

/**
 * Resource types AWS Backup protects, by the service and resource of their ARN, with the
 * `ResourceType` dimension of the AWS/Backup metrics
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/cloudwatch.html).
 */
export const BACKUP_RESOURCE_TYPES: readonly { readonly service: string; readonly resource: string; readonly resourceType: string }[] = [
  { service: 'rds', resource: 'db', resourceType: 'RDS' },
  { service: 'rds', resource: 'cluster', resourceType: 'Aurora' },
  { service: 'dynamodb', resource: 'table', resourceType: 'DynamoDB' },
  { service: 'elasticfilesystem', resource: 'file-system', resourceType: 'EFS' },
  { service: 'ec2', resource: 'volume', resourceType: 'EBS' },
  { service: 'ec2', resource: 'instance', resourceType: 'EC2' },
  { service: 's3', resource: '', resourceType: 'S3' },
];

/** A protected resource type with no completed backup job within this window raises an alarm. */
export const BACKUP_RECOVERY_POINT_WINDOW_SECONDS = 86_400;

/**
 * AWS Backup job events that mean data is not protected (EventBridge, delivered directly;
 * restore jobs report `status`, backup and copy jobs `state`;
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/eventbridge.html). The vault
 * notification events `BACKUP_JOB_FAILED` / `RESTORE_JOB_FAILED` are deprecated and send nothing.
 */
export const BACKUP_FAILURE_EVENTS = {
  'Backup Job State Change': { field: 'state', values: ['FAILED', 'ABORTED', 'EXPIRED'] },
  'Copy Job State Change': { field: 'state', values: ['FAILED', 'PARTIAL'] },
  'Restore Job State Change': { field: 'status', values: ['FAILED', 'ABORTED'] },
} as const;

/** Days during which a vault lock can still be removed, before it becomes immutable. */
export const VAULT_LOCK_GRACE_DAYS = 3;

/** Minimum retention a locked vault enforces, in days. */
export const VAULT_LOCK_MIN_RETENTION_DAYS = 7;

/** DR region of each primary region, for the prod cross-region backup copy. */
export const DR_REGIONS: Readonly<Record<string, string>> = {
  'eu-west-1': 'eu-central-1',
  'eu-west-2': 'eu-west-1',
  'eu-west-3': 'eu-central-1',
  'eu-central-1': 'eu-west-1',
  'eu-north-1': 'eu-central-1',
  'us-east-1': 'us-west-2',
  'us-east-2': 'us-west-2',
  'us-west-1': 'us-east-1',
  'us-west-2': 'us-east-1',
  'ca-central-1': 'us-east-1',
  'ap-southeast-1': 'ap-southeast-2',
  'ap-southeast-2': 'ap-southeast-1',
  'ap-northeast-1': 'ap-northeast-3',
  'ap-south-1': 'ap-southeast-1',
};

/** Route 53 health checks (and their metrics) live here. */
export const ROUTE53_METRICS_REGION = 'us-east-1';

/** Endpoint health check defaults. */
export const ENDPOINT_CHECK_DEFAULTS = {
  failureThreshold: 3,
  requestIntervalSeconds: 30,
} as const;

/** Account password policy (CIS 1.8-1.9). */
export const PASSWORD_POLICY = {
  minimumPasswordLength: 14,
  passwordReusePrevention: 24,
  maxPasswordAgeDays: 90,
} as const;

/** Security Hub standards, region-scoped ARNs. */
export const SECURITY_HUB_STANDARDS = {
  foundational: (region: string) => `arn:aws:securityhub:${region}::standards/aws-foundational-security-best-practices/v/1.0.0`,
  cis: (region: string) => `arn:aws:securityhub:${region}::standards/cis-aws-foundations-benchmark/v/1.4.0`,
} as const;

/** AWS Config: the service, its service-linked role, and the recorder / delivery channel name (one of each per account and region). */
export const CONFIG_SERVICE = 'config.amazonaws.com';
export const CONFIG_SERVICE_LINKED_ROLE = 'AWSServiceRoleForConfig';
export const CONFIG_RECORDER_NAME = 'platform';

/** How often Config delivers a configuration snapshot to the archive. */
export const CONFIG_DELIVERY_FREQUENCY = 'TwentyFour_Hours';

/** GuardDuty findings at or above this severity go to the critical topic (7 = high). */
export const GUARDDUTY_ALERT_MIN_SEVERITY = 7;


/** Custom metric namespace of the CIS CloudTrail metric filters. */
export const SECURITY_METRIC_NAMESPACE = 'Platform/Security';

/** Name of the per-account trail. */
export const TRAIL_NAME = 'platform-audit';
