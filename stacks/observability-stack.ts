import type { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { LayerStack, type StackAccount } from './layer-stack';
import type { EnvironmentStackProps } from './stack-props';
import type { LogArchiveExports } from './contracts';
import { alertTopicArn, ARCHIVE_PREFIXES, logArchiveBucketName } from '../modules/core/shared-names';
import { AlertTopics } from '../modules/observability/alert-topics';
import { AuditTrail } from '../modules/observability/audit-trail';
import { Backups } from '../modules/observability/backups';
import { EnvironmentDashboard } from '../modules/observability/dashboard';
import { serviceNames } from '../modules/containers/config-schema';
import { EndpointChecks } from '../modules/observability/endpoint-checks';
import { platformAccountIds } from '../modules/observability/log-archive';
import { SecurityBaseline } from '../modules/observability/security-baseline';
import { observabilitySettings } from '../modules/observability/settings';
import { CloudwatchEventBusPolicy } from '@cdktf/provider-aws/lib/cloudwatch-event-bus-policy';
import { policyDocument } from '../modules/core/iam';
import { ROUTE53_METRICS_REGION } from '../modules/observability/defaults';

/** One account the stack secures: its own, or (shared environment) the log-archive and tooling accounts. */
interface SecuredAccount {
  /** Construct id prefix ('' for the stack's own account). */
  readonly id: string;
  readonly label: string;
  readonly accountId: string;
  readonly provider?: TerraformProvider;
  /** Topic of the same account for GuardDuty findings. */
  readonly findingsTopicArn?: string;
  /** The stack account's default event bus, where this account forwards its findings. */
  readonly findingsEventBusArn?: string;
}

export interface ObservabilityStackProps extends EnvironmentStackProps {
  /** The central archive (`LogArchiveStack.exports`): the key ARN trails and Config deliveries encrypt with. */
  readonly archive: LogArchiveExports;
}

/**
 * <env>-observability: alert topics, the dashboard, the account security baseline (with the
 * AWS Config recorder delivering to the archive, unless `observability.organizationManaged.config`),
 * the account's audit trail with its CIS alarms, endpoint health checks and backups.
 *
 * The shared environment's stack also secures the log-archive and tooling accounts (baseline
 * and trail) through aliased providers `log_archive` and `tooling`: those accounts have no
 * environment of their own, and their CIS alarms notify the shared critical topic, which
 * admits CloudWatch alarms of every platform account. Apply `shared-observability` before the
 * other `<env>-observability` stacks: their security alarms notify that topic too.
 */
export class ObservabilityStack extends LayerStack {
  readonly alerts: AlertTopics;

  constructor(scope: Construct, props: ObservabilityStackProps) {
    super(scope, { platform: props.platform, environment: props.environment, layer: 'observability' });
    const env = this.environment;
    const platform = this.platform;
    const settings = observabilitySettings(env);
    const isShared = env.organization !== undefined;

    this.alerts = new AlertTopics(this, 'alerts', {
      environment: env,
      alarmAccountIds: isShared ? platformAccountIds(platform) : [env.accountId],
    });
    const critical = this.alerts.topicArns.critical!;
    const topics = Object.values(this.alerts.topics);
    const sharedCritical = alertTopicArn(platform.shared, 'critical');

    const accounts: SecuredAccount[] = [{ id: '', label: env.name, accountId: env.accountId, findingsTopicArn: critical }];
    if (isShared) {
      const org = this.organization.accounts;
      const extra: Record<string, StackAccount> = { log_archive: org.logArchive, tooling: org.tooling };
      // Their findings go to this account's default bus, where this account's findings rule sends them to the critical topic.
      const bus = `arn:aws:events:${this.region}:${env.accountId}:event-bus/default`;
      for (const [id, account] of Object.entries(extra)) {
        accounts.push({ id, label: id.replace(/_/g, '-'), accountId: account.accountId, provider: this.awsProvider(`aws_${id}`, account, this.region, id), findingsEventBusArn: bus });
      }
      new CloudwatchEventBusPolicy(this, 'findings_bus_policy', {
        eventBusName: 'default',
        policy: policyDocument([
          {
            Sid: 'OrganizationAccountsForwardFindings',
            Effect: 'Allow',
            Principal: { AWS: Object.values(extra).map((account) => `arn:aws:iam::${account.accountId}:root`).sort() },
            Action: 'events:PutEvents',
            Resource: bus,
          },
        ]),
      });
    }
    const managed = settings.organizationManaged;
    const recordsConfig = !managed.config;
    for (const account of accounts) {
      const prefix = account.id ? `${account.id}_` : '';
      new SecurityBaseline(this, `${prefix}baseline`, {
        accountId: account.accountId,
        config: recordsConfig
          ? {
              bucketName: logArchiveBucketName(this.organization),
              keyPrefix: ARCHIVE_PREFIXES.config,
              kmsKeyArn: props.archive.keyArn,
              // Each account belongs to one environment in one region (config validation: one account per
              // region, every VPC in the hub's region), so this region records the global resources.
              recordGlobalResources: true,
            }
          : undefined,
        region: this.region,
        accountLabel: account.label,
        findingsTopicArn: account.findingsTopicArn,
        findingsEventBusArn: account.findingsEventBusArn,
        findingsDependOn: topics,
        manageGuardDuty: !managed.guardDuty,
        manageSecurityHub: !managed.securityHub,
        provider: account.provider,
      });
      new AuditTrail(this, `${prefix}audit`, {
        organization: this.organization,
        kmsKeyArn: props.archive.keyArn,
        accountId: account.accountId,
        region: this.region,
        accountLabel: account.label,
        logRetentionDays: settings.logRetentionDays,
        alarmTopicArns: account.id === '' && !isShared ? [critical, sharedCritical] : [account.id === '' ? critical : sharedCritical],
        provider: account.provider,
        alarmsDependOn: account.id === '' ? topics : undefined,
      });
    }

    if (settings.endpoints.length > 0) {
      const inUsEast1 = this.region === ROUTE53_METRICS_REGION;
      const provider = inUsEast1 ? undefined : this.awsProvider('aws_us_east_1', this.account, ROUTE53_METRICS_REGION, 'us_east_1');
      const endpointTopics = inUsEast1
        ? this.alerts
        : new AlertTopics(this, 'endpoint_alerts', { environment: env, region: ROUTE53_METRICS_REGION, severities: ['critical'], provider });
      new EndpointChecks(this, 'endpoints', {
        environment: env.name,
        endpoints: settings.endpoints,
        topicArn: endpointTopics.topicArns.critical!,
        alarmProvider: provider,
        alarmsDependOn: Object.values(endpointTopics.topics),
      });
    }

    if (settings.backup.enabled) {
      const copyRegion = settings.backup.copyToRegion;
      new Backups(this, 'backup', {
        environment: env.name,
        accountId: env.accountId,
        region: this.region,
        settings: settings.backup,
        notificationTopicArn: critical,
        notificationsDependOn: topics,
        copyProvider: copyRegion ? this.awsProvider('aws_dr', this.account, copyRegion, 'dr') : undefined,
      });
    }

    new EnvironmentDashboard(this, 'dashboard', { environment: env.name, region: this.region, serviceNames: serviceNames(env) });
  }
}
