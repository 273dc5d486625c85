/**
 * The `observability` section of an environment config: who is alerted and how, alarm
 * thresholds (over the tier defaults of `defaults.ts`), log retention, public endpoints to
 * health-check, backups and, in the shared environment only, the central archive's object lock.
 */
import { z } from 'zod';
import type { ConfigIssue } from '../core/config-issue';
import { ALERT_SEVERITIES } from '../core/shared-names';
import { isKnownRegion, KNOWN_REGIONS } from '../core/regions';
import type { EnvironmentConfig } from '../../environments/schema';
import {
  ARCHIVE_DEFAULTS,
  LOG_RETENTION_CHOICES,
  MAX_LATENCY_SECONDS,
  MIN_INFREQUENT_ACCESS_DAYS,
  PROD_MIN_LOG_RETENTION_DAYS,
  VAULT_LOCK_MIN_RETENTION_DAYS,
  BACKUP_RESOURCE_TYPES,
} from './defaults';
import { observabilitySettings } from './settings';

const NAME = /^[a-z][a-z0-9-]{0,39}$/;
const nameKey = z.string().regex(NAME, { message: 'names are lower-case letters, digits and dashes' });

const arnEndpoint = (service: string) =>
  z.string().regex(new RegExp(`^arn:aws:${service}:[a-z0-9-]+:\\d{12}:[\\w:.-]+$`), {
    message: `must be the ARN of the ${service} target (arn:aws:${service}:<region>:<account>:...)`,
  });

/** One alert subscription: the endpoint must match its protocol. */
const subscriptionSchema = z.discriminatedUnion(
  'protocol',
  [
    z
      .object({
        protocol: z.literal('email'),
        endpoint: z.string().email({ message: 'must be an email address such as platform-alerts@example.com' }),
      })
      .strict(),
    z
      .object({
        protocol: z.literal('https'),
        endpoint: z
          .string()
          .url({ message: 'must be an https:// URL (for example a PagerDuty or chat webhook)' })
          .startsWith('https://', { message: 'must be an https:// URL: alerts never travel in clear text' }),
      })
      .strict(),
    z
      .object({
        protocol: z.literal('sms'),
        endpoint: z.string().regex(/^\+[1-9]\d{6,14}$/, { message: 'must be a phone number in E.164 form such as +353851234567' }),
      })
      .strict(),
    z.object({ protocol: z.literal('sqs'), endpoint: arnEndpoint('sqs') }).strict(),
    z.object({ protocol: z.literal('lambda'), endpoint: arnEndpoint('lambda') }).strict(),
  ],
  { errorMap: () => ({ message: 'protocol must be one of email, https, sms, sqs, lambda' }) },
);
export type SubscriptionConfig = z.output<typeof subscriptionSchema>;

const deliverySchema = z.enum(['page', 'notify']);

const alertsSchema = z
  .object({
    /** Subscriptions that receive every alert routed to `notify` (inboxes, chat). @default - none */
    notify: z.record(nameKey, subscriptionSchema).default({}),
    /** Subscriptions that receive alerts routed to `page` (an on-call pager). @default - none */
    page: z.record(nameKey, subscriptionSchema).default({}),
    /** Severity -> delivery. @default - SEVERITY_ROUTING of the tier (prod critical pages) */
    routing: z.object(Object.fromEntries(ALERT_SEVERITIES.map((s) => [s, deliverySchema.optional()])) as Record<(typeof ALERT_SEVERITIES)[number], z.ZodOptional<typeof deliverySchema>>).strict().default({}),
  })
  .strict()
  .default({});

const percent = z
  .number({ invalid_type_error: 'must be a number (a percentage, 0-100)' })
  .gt(0, { message: 'is a percentage: must be above 0' })
  .max(100, { message: 'is a percentage: must be at most 100 (a ratio such as 0.05 is written 5)' });

const count = z
  .number({ invalid_type_error: 'must be a number (a count)' })
  .int({ message: 'is a count: must be a whole number' })
  .min(0, { message: 'is a count: must not be negative' });

const seconds = z
  .number({ invalid_type_error: 'must be a number (seconds)' })
  .gt(0, { message: 'is in seconds: must be above 0' })
  .max(MAX_LATENCY_SECONDS, {
    message: `is in seconds and must be at most ${MAX_LATENCY_SECONDS}; a larger value looks like milliseconds (write 0.5 for 500 ms)`,
  });

/** Overrides of the tier's alarm thresholds (ALARM_THRESHOLDS in defaults.ts). */
const thresholdsSchema = z
  .object({
    ecsCpuPercent: percent,
    ecsMemoryPercent: percent,
    ecsTasksBelowDesired: count.min(1, { message: 'is a count of missing tasks: must be at least 1' }),
    alb5xxPercent: percent,
    target5xxPercent: percent,
    targetResponseTimeP99Seconds: seconds,
    unhealthyHosts: count,
    natPortAllocationErrors: count,
    natPacketsDropped: count,
    tgwPacketsDropped: count,
    wafBlockedRequests: count.min(1, { message: 'is a count of blocked requests per period: must be at least 1' }),
    evaluationPeriods: count.min(1, { message: 'must be at least 1 period' }).max(10, { message: 'must be at most 10 periods' }),
  })
  .partial()
  .strict()
  .default({});

/** A public endpoint checked by Route 53 from several regions. */
const endpointSchema = z
  .object({
    /** Full URL of the health path, `https://api.example.com/healthz`. */
    url: z
      .string()
      .url({ message: 'must be a full https:// URL such as https://api.example.com/healthz' })
      .startsWith('https://', { message: 'must be an https:// URL: public endpoints are served over TLS' }),
    /** Failed checks in a row before the endpoint is unhealthy. @default 3 */
    failureThreshold: z.number().int().min(1).max(10).optional(),
    /** Seconds between checks (Route 53 allows 10 or 30). @default 30 */
    requestIntervalSeconds: z.union([z.literal(10), z.literal(30)], { errorMap: () => ({ message: 'must be 10 or 30 (seconds)' }) }).optional(),
  })
  .strict();

/** The central archive (only the shared environment declares it). */
const archiveSchema = z
  .object({
    /** @default GOVERNANCE */
    objectLockMode: z.enum(['GOVERNANCE', 'COMPLIANCE']).default(ARCHIVE_DEFAULTS.objectLockMode),
    /** Days every object version is locked. @default 365 */
    objectLockRetentionDays: z
      .number()
      .int({ message: 'must be a whole number of days' })
      .min(1, { message: 'must be at least 1 day: a retention of 0 would leave the archive unprotected' })
      .default(ARCHIVE_DEFAULTS.objectLockRetentionDays),
    /** @default 30 */
    infrequentAccessAfterDays: z
      .number()
      .int()
      .min(MIN_INFREQUENT_ACCESS_DAYS, { message: `must be at least ${MIN_INFREQUENT_ACCESS_DAYS} days (an S3 limit of STANDARD_IA)` })
      .default(ARCHIVE_DEFAULTS.infrequentAccessAfterDays),
    /** @default 90 */
    glacierAfterDays: z.number().int().min(1).default(ARCHIVE_DEFAULTS.glacierAfterDays),
    /** @default 2557 (seven years) */
    expireAfterDays: z.number().int().min(1).default(ARCHIVE_DEFAULTS.expireAfterDays),
  })
  .strict();

const backupSchema = z
  .object({
    /** @default true */
    enabled: z.boolean().default(true),
    /** Days a recovery point is kept. @default - BACKUP_DEFAULTS of the tier */
    retentionDays: z.number().int({ message: 'must be a whole number of days' }).min(1, { message: 'must be at least 1 day' }).optional(),
    /** AWS Backup schedule expression. @default BACKUP_SCHEDULE (daily 03:00 UTC) */
    schedule: z.string().regex(/^(cron|rate)\(.+\)$/, { message: 'must be a cron(...) or rate(...) expression' }).optional(),
    /** DR region of the cross-region copy; `false` disables it. @default - DR_REGIONS of the region in prod, none elsewhere */
    copyToRegion: z
      .union([z.literal(false), z.string().refine(isKnownRegion, { message: `must be a known AWS region (${KNOWN_REGIONS.join(', ')}) or false` })])
      .optional(),
    /** @default - true in prod */
    vaultLock: z.boolean().optional(),
    /**
     * ARNs of the resources to protect, in this environment's account and region (an RDS
     * database, a DynamoDB table, an EFS file system, ...). Required while backups are enabled:
     * a plan that selects nothing protects nothing. @default - none
     */
    resources: z.array(z.string()).default([]),
  })
  .strict()
  .default({});

export const observabilityConfigSchema = z
  .object({
    alerts: alertsSchema,
    thresholds: thresholdsSchema,
    /** Retention of every log group of the environment. @default - LOG_RETENTION_DAYS of the tier */
    logRetentionDays: z
      .number()
      .refine((days) => (LOG_RETENTION_CHOICES as readonly number[]).includes(days), {
        message: `must be a CloudWatch Logs retention: ${LOG_RETENTION_CHOICES.join(', ')}`,
      })
      .optional(),
    /** Public endpoints to health-check, by name. @default - none */
    endpoints: z.record(nameKey, endpointSchema).default({}),
    /** The central log archive (shared environment only). */
    archive: archiveSchema.optional(),
    backup: backupSchema,
    /**
     * Security services the organization runs for every account from a delegated
     * administrator; the platform then creates none of them in this environment's accounts
     * (a per-account detector, hub or recorder would collide with the organization's).
     */
    organizationManaged: z
      .object({
        /**
         * AWS Config (recorder and delivery channel) is set up by the organization (Control
         * Tower, StackSets). @default false: each account and region records itself, delivering to the archive
         */
        config: z.boolean().default(false),
        /** GuardDuty detectors (the findings rules stay: findings are emitted in each account too). @default false */
        guardDuty: z.boolean().default(false),
        /** Security Hub and its standards (central configuration). @default false */
        securityHub: z.boolean().default(false),
      })
      .strict()
      .default({}),
  })
  .strict()
  .default({});

export type ObservabilityConfig = z.output<typeof observabilityConfigSchema>;

const BACKUP_ARN = /^arn:aws:([a-z0-9-]+):([a-z0-9-]*):(\d{12})?:(.+)$/;

/** The AWS/Backup `ResourceType` of a resource ARN, or undefined when AWS Backup does not protect it. */
export function backupResourceType(arn: string): string | undefined {
  const parsed = BACKUP_ARN.exec(arn);
  if (!parsed) return undefined;
  const [, service, , , rest] = parsed;
  const resource = rest.split(/[:/]/)[0];
  return BACKUP_RESOURCE_TYPES.find((type) => type.service === service && (type.resource === '' || type.resource === resource))?.resourceType;
}

/** Checks of this section that need the environment's tier, region or organization. */
export function validateSection(env: EnvironmentConfig, _all: readonly EnvironmentConfig[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const section = env.observability;
  const issue = (field: string, value: unknown, message: string) =>
    issues.push({ environment: env.name, field: `observability.${field}`, value, message });
  const settings = observabilitySettings(env);

  for (const severity of ALERT_SEVERITIES) {
    if (settings.routing[severity] === 'page' && Object.keys(section.alerts.page).length === 0) {
      issue(
        'alerts.page',
        undefined,
        `${severity} alerts page in tier ${env.tier} but no paging subscription is declared; add one (for example { protocol: 'https', endpoint: '<pager integration URL>' }) or route ${severity} to 'notify'`,
      );
    }
  }
  if (Object.keys(section.alerts.notify).length + Object.keys(section.alerts.page).length === 0) {
    issue('alerts', undefined, 'declares no subscription: alarms would reach nobody; add at least one under alerts.notify');
  }

  if (env.tier === 'prod' && settings.logRetentionDays < PROD_MIN_LOG_RETENTION_DAYS) {
    issue('logRetentionDays', section.logRetentionDays, `must be at least ${PROD_MIN_LOG_RETENTION_DAYS} days in tier prod`);
  }

  if (section.archive) {
    const archive = section.archive;
    if (!env.organization) {
      issue('archive', undefined, 'only the shared environment (the one declaring the organization) configures the central archive');
    }
    if (archive.glacierAfterDays <= archive.infrequentAccessAfterDays) {
      issue('archive.glacierAfterDays', archive.glacierAfterDays, `must be later than infrequentAccessAfterDays (${archive.infrequentAccessAfterDays})`);
    }
    if (archive.expireAfterDays <= archive.glacierAfterDays) {
      issue('archive.expireAfterDays', archive.expireAfterDays, `must be later than glacierAfterDays (${archive.glacierAfterDays})`);
    }
    if (archive.expireAfterDays < archive.objectLockRetentionDays) {
      issue('archive.expireAfterDays', archive.expireAfterDays, `must not be shorter than objectLockRetentionDays (${archive.objectLockRetentionDays}): locked versions cannot expire`);
    }
  }

  const backup = settings.backup;
  if (backup.copyToRegion === env.region) {
    issue('backup.copyToRegion', backup.copyToRegion, `must differ from the environment's region ${env.region}: a copy in the same region is no disaster recovery`);
  }
  if (backup.vaultLock && backup.retentionDays < VAULT_LOCK_MIN_RETENTION_DAYS) {
    issue('backup.retentionDays', backup.retentionDays, `must be at least ${VAULT_LOCK_MIN_RETENTION_DAYS} days when the vault is locked`);
  }
  if (backup.enabled && backup.resources.length === 0) {
    issue(
      'backup.resources',
      [],
      `is empty while backups are enabled: the plan would protect nothing; list the ARNs of the resources to protect (${BACKUP_RESOURCE_TYPES.map((t) => t.resourceType).join(', ')}) or set backup.enabled: false`,
    );
  }
  for (const arn of backup.resources) {
    const parsed = BACKUP_ARN.exec(arn);
    if (!parsed || backupResourceType(arn) === undefined) {
      issue('backup.resources', arn, `is not the ARN of a resource AWS Backup protects here (${BACKUP_RESOURCE_TYPES.map((t) => `arn:aws:${t.service}:...${t.resource ? `:${t.resource}` : ''}`).join(', ')})`);
    } else if (parsed[1] !== 's3' && (parsed[2] !== env.region || parsed[3] !== env.accountId)) {
      issue('backup.resources', arn, `must be in the environment's account ${env.accountId} and region ${env.region}: the vault and plan are`);
    }
  }
  if (env.tier === 'prod' && section.backup.copyToRegion === undefined && backup.copyToRegion === undefined) {
    issue('backup.copyToRegion', undefined, `no DR region is known for ${env.region}; set one (or false to opt out)`);
  }
  return issues;
}
