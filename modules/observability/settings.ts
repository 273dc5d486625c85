/**
 * The observability settings of one environment: its config section merged over the tier
 * defaults. Every construct and the alarm-coverage Aspect read settings from here, so a default
 * is applied in exactly one place.
 */
import type { EnvironmentConfig } from '../../environments/schema';
import { ALERT_SEVERITIES, type AlertSeverity } from '../core/shared-names';
import { forTier } from '../core/tier';
import {
  ALARM_THRESHOLDS,
  ARCHIVE_DEFAULTS,
  BACKUP_DEFAULTS,
  BACKUP_SCHEDULE,
  DR_REGIONS,
  ENDPOINT_CHECK_DEFAULTS,
  LOG_RETENTION_DAYS,
  SEVERITY_ROUTING,
  type AlarmThresholds,
  type AlertDelivery,
} from './defaults';
import type { ObservabilityConfig, SubscriptionConfig } from './config-schema';

export interface ArchiveSettings {
  readonly objectLockMode: 'GOVERNANCE' | 'COMPLIANCE';
  readonly objectLockRetentionDays: number;
  readonly infrequentAccessAfterDays: number;
  readonly glacierAfterDays: number;
  readonly expireAfterDays: number;
}

export interface BackupSettings {
  readonly enabled: boolean;
  readonly retentionDays: number;
  readonly schedule: string;
  /** DR region of the copy; undefined when there is none. */
  readonly copyToRegion?: string;
  readonly vaultLock: boolean;
  /** ARNs of the resources the plan protects. */
  readonly resources: readonly string[];
}

export interface EndpointSettings {
  readonly name: string;
  readonly url: string;
  readonly fqdn: string;
  readonly port: number;
  readonly resourcePath: string;
  readonly failureThreshold: number;
  readonly requestIntervalSeconds: number;
}

export interface NamedSubscription {
  /** `<delivery>-<name>` from the config, unique per topic. */
  readonly name: string;
  readonly delivery: AlertDelivery;
  readonly subscription: SubscriptionConfig;
}

export interface ObservabilitySettings {
  readonly routing: Readonly<Record<AlertSeverity, AlertDelivery>>;
  /** The subscriptions of each severity's topic, after routing. */
  readonly subscriptions: Readonly<Record<AlertSeverity, readonly NamedSubscription[]>>;
  readonly thresholds: AlarmThresholds;
  readonly logRetentionDays: number;
  readonly endpoints: readonly EndpointSettings[];
  readonly archive: ArchiveSettings;
  readonly backup: BackupSettings;
  /** What the organization manages for this environment's accounts (the platform creates none of it). */
  readonly organizationManaged: { readonly config: boolean; readonly guardDuty: boolean; readonly securityHub: boolean };
}

const HTTPS_PORT = 443;

/** The settings of `env`, defaults of its tier applied. */
export function observabilitySettings(env: EnvironmentConfig): ObservabilitySettings {
  const section: ObservabilityConfig = env.observability;
  const routing = { ...forTier(SEVERITY_ROUTING, env.tier), ...definedOnly(section.alerts.routing) };
  const named = (delivery: AlertDelivery): NamedSubscription[] =>
    Object.entries(section.alerts[delivery]).map(([name, subscription]) => ({ name: `${delivery}-${name}`, delivery, subscription }));
  const subscriptions = Object.fromEntries(
    ALERT_SEVERITIES.map((severity) => [severity, routing[severity] === 'page' ? [...named('page'), ...named('notify')] : named('notify')]),
  ) as Record<AlertSeverity, NamedSubscription[]>;
  const tierBackup = forTier(BACKUP_DEFAULTS, env.tier);
  const copyToRegion =
    section.backup.copyToRegion === false
      ? undefined
      : (section.backup.copyToRegion ?? (tierBackup.crossRegionCopy ? DR_REGIONS[env.region] : undefined));
  return {
    routing,
    subscriptions,
    thresholds: { ...forTier(ALARM_THRESHOLDS, env.tier), ...definedOnly(section.thresholds) },
    logRetentionDays: section.logRetentionDays ?? forTier(LOG_RETENTION_DAYS, env.tier),
    endpoints: Object.entries(section.endpoints).map(([name, endpoint]) => {
      const url = new URL(endpoint.url);
      return {
        name,
        url: endpoint.url,
        fqdn: url.hostname,
        port: url.port ? Number(url.port) : HTTPS_PORT,
        resourcePath: `${url.pathname}${url.search}`,
        failureThreshold: endpoint.failureThreshold ?? ENDPOINT_CHECK_DEFAULTS.failureThreshold,
        requestIntervalSeconds: endpoint.requestIntervalSeconds ?? ENDPOINT_CHECK_DEFAULTS.requestIntervalSeconds,
      };
    }),
    archive: section.archive ?? { ...ARCHIVE_DEFAULTS },
    backup: {
      enabled: section.backup.enabled,
      retentionDays: section.backup.retentionDays ?? tierBackup.retentionDays,
      schedule: section.backup.schedule ?? BACKUP_SCHEDULE,
      copyToRegion,
      vaultLock: section.backup.vaultLock ?? tierBackup.vaultLock,
      resources: section.backup.resources,
    },
    organizationManaged: { ...section.organizationManaged },
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
