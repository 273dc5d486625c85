import { validatePlatform } from '../../../environments/load';
import { observabilitySettings } from '../../../modules/observability/settings';
import { ALARM_THRESHOLDS, LOG_RETENTION_DAYS } from '../../../modules/observability/defaults';
import { asRaw, shippedConfigs, type RawEnvironments } from '../../helpers/environments';

function withChange(change: (configs: RawEnvironments) => void) {
  const configs = shippedConfigs();
  change(configs);
  return () => validatePlatform(asRaw(configs));
}

describe('observability config', () => {
  describe('bad input', () => {
    it.each([
      [
        'a percentage over 100',
        (c: RawEnvironments) => (c.dev.observability.thresholds = { ecsCpuPercent: 150 }),
        /environments\/dev\/config.ts: observability.thresholds.ecsCpuPercent: is a percentage: must be at most 100 .*\(got 150\)/,
      ],
      [
        'a negative percentage',
        (c: RawEnvironments) => (c.prod.observability.thresholds = { alb5xxPercent: -1 }),
        /environments\/prod\/config.ts: observability.thresholds.alb5xxPercent: is a percentage: must be above 0 \(got -1\)/,
      ],
      [
        'a latency in milliseconds',
        (c: RawEnvironments) => (c.staging.observability.thresholds = { targetResponseTimeP99Seconds: 500 }),
        /environments\/staging\/config.ts: observability.thresholds.targetResponseTimeP99Seconds: is in seconds .*looks like milliseconds \(write 0.5 for 500 ms\) \(got 500\)/,
      ],
      [
        'a negative count',
        (c: RawEnvironments) => (c.dev.observability.thresholds = { natPacketsDropped: -5 }),
        /environments\/dev\/config.ts: observability.thresholds.natPacketsDropped: is a count: must not be negative/,
      ],
      [
        'a fractional count',
        (c: RawEnvironments) => (c.dev.observability.thresholds = { unhealthyHosts: 0.5 }),
        /observability.thresholds.unhealthyHosts: is a count: must be a whole number/,
      ],
      [
        'an email subscription that is not an address',
        (c: RawEnvironments) => (c.dev.observability.alerts.notify['platform-team'].endpoint = 'platform-team'),
        /environments\/dev\/config.ts: observability.alerts.notify.platform-team.endpoint: must be an email address .*\(got "platform-team"\)/,
      ],
      [
        'an https subscription over http',
        (c: RawEnvironments) => (c.prod.observability.alerts.page.oncall.endpoint = 'http://events.pagerduty.com/x'),
        /environments\/prod\/config.ts: observability.alerts.page.oncall.endpoint: must be an https:\/\/ URL/,
      ],
      [
        'an unknown protocol',
        (c: RawEnvironments) => (c.dev.observability.alerts.notify['platform-team'] = { protocol: 'pigeon', endpoint: 'x' }),
        /observability.alerts.notify.platform-team.protocol: protocol must be one of email, https, sms, sqs, lambda/,
      ],
      [
        'an object lock retention of zero',
        (c: RawEnvironments) => (c.shared.observability.archive.objectLockRetentionDays = 0),
        /environments\/shared\/config.ts: observability.archive.objectLockRetentionDays: must be at least 1 day: a retention of 0 would leave the archive unprotected \(got 0\)/,
      ],
      [
        'an object lock mode that does not exist',
        (c: RawEnvironments) => (c.shared.observability.archive.objectLockMode = 'STRICT'),
        /environments\/shared\/config.ts: observability.archive.objectLockMode: must be one of GOVERNANCE, COMPLIANCE/,
      ],
      [
        'an archive outside the shared environment',
        (c: RawEnvironments) => (c.dev.observability.archive = { objectLockRetentionDays: 30 }),
        /environments\/dev\/config.ts: observability.archive: only the shared environment/,
      ],
      [
        'an archive expiring before its lock ends',
        (c: RawEnvironments) => Object.assign(c.shared.observability.archive, { objectLockRetentionDays: 3000, expireAfterDays: 2557 }),
        /environments\/shared\/config.ts: observability.archive.expireAfterDays: must not be shorter than objectLockRetentionDays \(3000\)/,
      ],
      [
        'prod critical alerts with no pager',
        (c: RawEnvironments) => (c.prod.observability.alerts.page = {}),
        /environments\/prod\/config.ts: observability.alerts.page: critical alerts page in tier prod but no paging subscription is declared/,
      ],
      [
        'no subscription at all',
        (c: RawEnvironments) => (c.staging.observability.alerts = {}),
        /environments\/staging\/config.ts: observability.alerts: declares no subscription: alarms would reach nobody/,
      ],
      [
        'a log retention CloudWatch does not offer',
        (c: RawEnvironments) => (c.dev.observability.logRetentionDays = 45),
        /environments\/dev\/config.ts: observability.logRetentionDays: must be a CloudWatch Logs retention/,
      ],
      [
        'a prod log retention below a year',
        (c: RawEnvironments) => (c.prod.observability.logRetentionDays = 90),
        /environments\/prod\/config.ts: observability.logRetentionDays: must be at least 365 days in tier prod \(got 90\)/,
      ],
      [
        'a backup copy to the same region',
        (c: RawEnvironments) => (c.prod.observability.backup = { copyToRegion: 'eu-west-1' }),
        /environments\/prod\/config.ts: observability.backup.copyToRegion: must differ from the environment's region eu-west-1/,
      ],
      [
        'a backup retention of zero',
        (c: RawEnvironments) => (c.dev.observability.backup = { retentionDays: 0 }),
        /environments\/dev\/config.ts: observability.backup.retentionDays: must be at least 1 day/,
      ],
      [
        'an endpoint over http',
        (c: RawEnvironments) => (c.dev.observability.endpoints.api.url = 'http://api.dev.acme.example/healthz'),
        /environments\/dev\/config.ts: observability.endpoints.api.url: must be an https:\/\/ URL/,
      ],
    ])('rejects %s', (_situation, change, message) => {
      expect(withChange(change)).toThrow(message);
    });
  });

  describe('defaults by tier', () => {
    const platform = validatePlatform(asRaw(shippedConfigs()));

    it('pages prod critical alerts and only notifies in dev', () => {
      const prod = observabilitySettings(platform.environment('prod'));
      const dev = observabilitySettings(platform.environment('dev'));
      expect(prod.routing).toEqual({ critical: 'page', warning: 'notify' });
      expect(prod.subscriptions.critical.map((s) => s.subscription.protocol).sort()).toEqual(['email', 'https']);
      expect(prod.subscriptions.warning.map((s) => s.subscription.protocol)).toEqual(['email']);
      expect(dev.routing).toEqual({ critical: 'notify', warning: 'notify' });
      expect(dev.subscriptions.critical.map((s) => s.subscription.protocol)).toEqual(['email']);
    });

    it.each(['dev', 'staging', 'prod'] as const)('takes the %s thresholds and log retention when the config sets none', (name) => {
      const settings = observabilitySettings(platform.environment(name));
      expect(settings.thresholds).toEqual(ALARM_THRESHOLDS[name]);
      expect(settings.logRetentionDays).toBe(LOG_RETENTION_DAYS[name]);
    });

    it('copies prod backups to the DR region into a locked vault, dev backups stay local', () => {
      expect(observabilitySettings(platform.environment('prod')).backup).toMatchObject({ copyToRegion: 'eu-central-1', vaultLock: true, retentionDays: 35 });
      expect(observabilitySettings(platform.environment('dev')).backup).toMatchObject({ copyToRegion: undefined, vaultLock: false });
    });

    it('lets the config override a threshold and route a severity', () => {
      const configs = shippedConfigs();
      configs.dev.observability.thresholds = { ecsCpuPercent: 70 };
      configs.dev.observability.alerts.routing = { critical: 'page' };
      configs.dev.observability.alerts.page = { chat: { protocol: 'https', endpoint: 'https://chat.acme.example/hooks/dev' } };
      const settings = observabilitySettings(validatePlatform(asRaw(configs)).environment('dev'));
      expect(settings.thresholds.ecsCpuPercent).toBe(70);
      expect(settings.thresholds.ecsMemoryPercent).toBe(ALARM_THRESHOLDS.dev.ecsMemoryPercent);
      expect(settings.subscriptions.critical.map((s) => s.name)).toEqual(['page-chat', 'notify-platform-team']);
    });

    it('derives host, port and path of an endpoint from its URL', () => {
      expect(observabilitySettings(platform.environment('dev')).endpoints).toEqual([
        expect.objectContaining({ name: 'api', fqdn: 'api.dev.acme.example', port: 443, resourcePath: '/healthz', failureThreshold: 3, requestIntervalSeconds: 30 }),
      ]);
    });
  });
});
