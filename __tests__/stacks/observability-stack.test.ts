import { Testing } from 'cdktf';
import { ObservabilityStack } from '../../stacks/observability-stack';
import { LogArchiveStack } from '../../stacks/log-archive-stack';
import { validatePlatform } from '../../environments/load';
import { asRaw, shippedConfigs } from '../helpers/environments';
import { buildPlatform } from '../../stacks/platform-app';
import { CIS_FILTERS } from '../../modules/observability/private/cis';
import { LOG_RETENTION_DAYS } from '../../modules/observability/defaults';
import { shippedPlatform, resourcesOf, synthJson } from '../helpers/platform';
import { alarmsWatchingNothing } from '../modules/observability/alarm-targets';
import { parseJsonencode } from '../../modules/core/jsonencode-reader';
import dev from '../../environments/dev/config';
import { configsWith } from '../modules/secrets/helpers';

const platform = shippedPlatform();
const cache = new Map<string, any>();
/** The archive and one environment's observability stack in a fresh app (cross-stack references prepared); JSON of the latter. */
function stackJson(environment: string): any {
  if (!cache.has(environment)) {
    const app = Testing.app();
    const archive = new LogArchiveStack(app, { platform });
    const stack = new ObservabilityStack(app, { platform, environment: platform.environment(environment), archive: archive.exports });
    stack.prepareStack();
    cache.set(environment, synthJson(stack));
  }
  return cache.get(environment);
}
const ACCOUNT = { dev: '510987654321', prod: '710987654321', shared: '210987654321' } as const;

describe('<env>-observability', () => {
  describe('alert topics', () => {
    it.each(['dev', 'prod'] as const)('%s has a KMS-encrypted topic per severity', (env) => {
      const topics = resourcesOf(stackJson(env), 'aws_sns_topic');
      expect(topics.alerts_critical).toMatchObject({ name: `${env}-alerts-critical`, kms_master_key_id: `arn:aws:kms:eu-west-1:${ACCOUNT[env]}:key/\${aws_kms_key.alerts_key.key_id}` });
      expect(topics.alerts_warning).toMatchObject({ name: `${env}-alerts-warning` });
    });

    it('lets CloudWatch, EventBridge and AWS Backup publish and use the key', () => {
      const json = stackJson('dev');
      const policy = JSON.parse(resourcesOf(json, 'aws_sns_topic_policy').alerts_critical_policy.policy);
      const publishers = policy.Statement.filter((s: any) => s.Effect === 'Allow' && s.Principal.Service).flatMap((s: any) => [s.Principal.Service].flat());
      expect(publishers.sort()).toEqual(['backup.amazonaws.com', 'cloudwatch.amazonaws.com', 'events.amazonaws.com']);
      expect(policy.Statement.find((s: any) => s.Sid === 'CloudWatchAlarmsPublish').Condition.StringEquals['aws:SourceAccount']).toEqual([ACCOUNT.dev]);
      const keyPolicy = JSON.parse(resourcesOf(json, 'aws_kms_key').alerts_key.policy);
      expect(keyPolicy.Statement.find((s: any) => s.Sid === 'PublishersUseKey').Principal.Service).toEqual(
        expect.arrayContaining(['cloudwatch.amazonaws.com', 'events.amazonaws.com']),
      );
    });

    it('lets the alarms of every platform account publish to the shared topics', () => {
      const policy = JSON.parse(resourcesOf(stackJson('shared'), 'aws_sns_topic_policy').alerts_critical_policy.policy);
      expect(policy.Statement.find((s: any) => s.Sid === 'CloudWatchAlarmsPublish').Condition.StringEquals['aws:SourceAccount']).toHaveLength(6);
    });

    it('pages prod critical alerts (https) and notifies by email', () => {
      const subscriptions = Object.entries(resourcesOf(stackJson('prod'), 'aws_sns_topic_subscription')).map(([name, s]: [string, any]) => [name, s.protocol]);
      expect(subscriptions.sort()).toEqual([
        ['alerts_critical_notify_platform_team', 'email'],
        ['alerts_critical_page_oncall', 'https'],
        ['alerts_warning_notify_platform_team', 'email'],
        ['endpoint_alerts_critical_notify_platform_team', 'email'],
        ['endpoint_alerts_critical_page_oncall', 'https'],
      ]);
    });

    it('only notifies in dev', () => {
      const protocols = Object.values(resourcesOf(stackJson('dev'), 'aws_sns_topic_subscription')).map((s: any) => s.protocol);
      expect(new Set(protocols)).toEqual(new Set(['email']));
    });
  });

  describe('audit trail', () => {
    it('records every region with validated, KMS-encrypted logs in the central archive', () => {
      expect(resourcesOf(stackJson('dev'), 'aws_cloudtrail').audit).toMatchObject({
        is_multi_region_trail: true,
        include_global_service_events: true,
        enable_log_file_validation: true,
        s3_bucket_name: 'acme-log-archive-310987654321',
        s3_key_prefix: 'cloudtrail',
        // The key ARN (read from shared-log-archive's state), not the alias: CloudTrail reads back the key ARN.
        kms_key_id: 'arn:aws:kms:eu-west-1:310987654321:key/${data.terraform_remote_state.cross_stack_reference_input_shared_log_archive.outputs.cross_stack_output_aws_kms_key_logs_key_key_id}',
        cloud_watch_logs_group_arn: 'arn:aws:logs:eu-west-1:510987654321:log-group:/platform/cloudtrail/platform-audit:*',
      });
    });

    it('has a CIS metric filter and an alarm for each security event, to the env and the shared critical topics', () => {
      const json = stackJson('dev');
      const alarms = resourcesOf(json, 'aws_cloudwatch_metric_alarm');
      for (const filter of CIS_FILTERS) {
        expect(resourcesOf(json, 'aws_cloudwatch_log_metric_filter')[`audit_cis_${filter.check}_filter`]).toMatchObject({ log_group_name: '${aws_cloudwatch_log_group.audit_log_group.name}' });
        expect(alarms[`audit_cis_${filter.check}`].alarm_actions).toEqual([
          'arn:aws:sns:eu-west-1:510987654321:dev-alerts-critical',
          'arn:aws:sns:eu-west-1:210987654321:shared-alerts-critical',
        ]);
      }
      expect(CIS_FILTERS.map((f) => f.check)).toEqual(
        expect.arrayContaining(['root_usage', 'unauthorized_api_calls', 'console_signin_without_mfa', 'iam_policy_changes', 'security_group_changes', 'nacl_changes', 'route_table_changes', 'vpc_changes', 'cloudtrail_changes', 'kms_key_disable_or_deletion']),
      );
    });

    it.each(['dev', 'prod', 'shared'] as const)('%s: every log group has the tier retention and a KMS key', (env) => {
      const groups = Object.values(resourcesOf(stackJson(env), 'aws_cloudwatch_log_group'));
      expect(groups.length).toBeGreaterThan(0);
      const tier = platform.environment(env).tier;
      for (const group of groups as any[]) {
        expect(group.retention_in_days).toBe(LOG_RETENTION_DAYS[tier]);
        expect(group.kms_key_id).toMatch(/^arn:aws:kms:eu-west-1:\d{12}:key\/\$\{aws_kms_key\.[a-z_]+\.key_id\}$/);
      }
    });

    it('shared also audits the log-archive and tooling accounts through their own providers', () => {
      const trails = resourcesOf(stackJson('shared'), 'aws_cloudtrail');
      expect(Object.keys(trails).sort()).toEqual(['audit', 'log_archive_audit', 'tooling_audit']);
      expect(trails.log_archive_audit.provider).toBe('aws.log_archive');
      expect(trails.tooling_audit.provider).toBe('aws.tooling');
      const alarm = resourcesOf(stackJson('shared'), 'aws_cloudwatch_metric_alarm').tooling_audit_cis_root_usage;
      expect(alarm).toMatchObject({ provider: 'aws.tooling', alarm_actions: ['arn:aws:sns:eu-west-1:210987654321:shared-alerts-critical'] });
    });
  });

  describe('security baseline', () => {
    it.each([
      ['aws_guardduty_detector', 'baseline_guardduty', { enable: true }],
      ['aws_securityhub_account', 'baseline_security_hub', { enable_default_standards: false }],
      ['aws_securityhub_standards_subscription', 'baseline_standard_foundational', { standards_arn: 'arn:aws:securityhub:eu-west-1::standards/aws-foundational-security-best-practices/v/1.0.0' }],
      ['aws_securityhub_standards_subscription', 'baseline_standard_cis', { standards_arn: 'arn:aws:securityhub:eu-west-1::standards/cis-aws-foundations-benchmark/v/1.4.0' }],
      ['aws_accessanalyzer_analyzer', 'baseline_access_analyzer', { type: 'ACCOUNT' }],
      ['aws_iam_account_password_policy', 'baseline_password_policy', { minimum_password_length: 14, require_symbols: true }],
      ['aws_ebs_encryption_by_default', 'baseline_ebs_encryption', { enabled: true }],
      ['aws_s3_account_public_access_block', 'baseline_s3_public_access', { account_id: '510987654321', block_public_policy: true, restrict_public_buckets: true }],
    ])('%s.%s', (type, name, expected) => {
      expect(resourcesOf(stackJson('dev'), type)[name]).toMatchObject(expected);
    });

    it('covers the three accounts of the shared environment', () => {
      const detectors = resourcesOf(stackJson('shared'), 'aws_guardduty_detector');
      expect(Object.keys(detectors).sort()).toEqual(['baseline_guardduty', 'log_archive_baseline_guardduty', 'tooling_baseline_guardduty']);
      const blocks = Object.values(resourcesOf(stackJson('shared'), 'aws_s3_account_public_access_block')).map((b: any) => b.account_id);
      expect(blocks.sort()).toEqual(['210987654321', '310987654321', '410987654321']);
    });

    // Issue 24: three detectors, one findings rule; the log-archive and tooling findings went nowhere.
    it.each(['log_archive', 'tooling'])('forwards the %s account\'s findings to the shared default bus, whose findings rule pages the critical topic', (id) => {
      const json = stackJson('shared');
      const rule = resourcesOf(json, 'aws_cloudwatch_event_rule')[`${id}_baseline_guardduty_findings`];
      expect(rule.provider).toBe(`aws.${id}`);
      expect(JSON.parse(rule.event_pattern)).toEqual(JSON.parse(resourcesOf(json, 'aws_cloudwatch_event_rule').baseline_guardduty_findings.event_pattern));
      const target = resourcesOf(json, 'aws_cloudwatch_event_target')[`${id}_baseline_guardduty_findings_target`];
      expect(target).toMatchObject({ provider: `aws.${id}`, arn: 'arn:aws:events:eu-west-1:210987654321:event-bus/default', role_arn: `\${aws_iam_role.${id}_baseline_findings_forwarder.arn}` });
      const policy = JSON.parse(resourcesOf(json, 'aws_iam_role_policy')[`${id}_baseline_findings_forwarder_policy`].policy);
      expect(policy.Statement).toEqual([expect.objectContaining({ Action: 'events:PutEvents', Resource: 'arn:aws:events:eu-west-1:210987654321:event-bus/default' })]);
      const busPolicy = JSON.parse(resourcesOf(json, 'aws_cloudwatch_event_bus_policy').findings_bus_policy.policy);
      expect(busPolicy.Statement[0].Principal.AWS).toEqual(['arn:aws:iam::310987654321:root', 'arn:aws:iam::410987654321:root']);
      expect(resourcesOf(json, 'aws_cloudwatch_event_target').baseline_guardduty_findings_target.arn).toBe('arn:aws:sns:eu-west-1:210987654321:shared-alerts-critical');
    });

    // Issue 16, defect 11: per-account detectors and hubs collide with a delegated administrator.
    it('creates no detector and no Security Hub where the organization manages them, and keeps alerting on findings', () => {
      const configs = shippedConfigs();
      for (const env of ['shared', 'prod'] as const) configs[env].observability = { ...(configs[env].observability ?? {}), organizationManaged: { guardDuty: true, securityHub: true } };
      const managedPlatform = validatePlatform(asRaw(configs));
      for (const env of ['shared', 'prod']) {
        const app = Testing.app();
        const archive = new LogArchiveStack(app, { platform: managedPlatform });
        const stack = new ObservabilityStack(app, { platform: managedPlatform, environment: managedPlatform.environment(env), archive: archive.exports });
        stack.prepareStack();
        const json = synthJson(stack);
        expect(resourcesOf(json, 'aws_guardduty_detector')).toEqual({});
        expect(resourcesOf(json, 'aws_securityhub_account')).toEqual({});
        expect(resourcesOf(json, 'aws_securityhub_standards_subscription')).toEqual({});
        expect(resourcesOf(json, 'aws_cloudwatch_event_rule').baseline_guardduty_findings).toBeDefined();
      }
    });

    describe('AWS Config (what the Security Hub CIS and FSBP controls evaluate)', () => {
      it('records every supported resource type, delivering to the archive with the archive key ARN', () => {
        const json = stackJson('dev');
        expect(resourcesOf(json, 'aws_config_configuration_recorder').baseline_config).toMatchObject({
          name: 'platform',
          role_arn: 'arn:aws:iam::510987654321:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig',
          recording_group: { all_supported: true, include_global_resource_types: true },
          depends_on: ['aws_iam_service_linked_role.baseline_config_service_linked_role'],
        });
        expect(resourcesOf(json, 'aws_iam_service_linked_role').baseline_config_service_linked_role).toMatchObject({ aws_service_name: 'config.amazonaws.com' });
        expect(resourcesOf(json, 'aws_config_delivery_channel').baseline_config_delivery_channel).toMatchObject({
          s3_bucket_name: 'acme-log-archive-310987654321',
          s3_key_prefix: 'config',
          s3_kms_key_arn: expect.stringMatching(/^arn:aws:kms:eu-west-1:310987654321:key\/\$\{data\.terraform_remote_state\./),
        });
        expect(resourcesOf(json, 'aws_config_configuration_recorder_status').baseline_config_status).toMatchObject({
          is_enabled: true,
          depends_on: ['aws_config_delivery_channel.baseline_config_delivery_channel'],
        });
      });

      it('covers the log-archive and tooling accounts from shared, each through its own provider', () => {
        const recorders = resourcesOf(stackJson('shared'), 'aws_config_configuration_recorder');
        expect(Object.keys(recorders).sort()).toEqual(['baseline_config', 'log_archive_baseline_config', 'tooling_baseline_config']);
        expect(recorders.tooling_baseline_config).toMatchObject({ provider: 'aws.tooling', role_arn: expect.stringContaining(':410987654321:') });
      });

      it('creates no recorder where the organization manages Config (observability.organizationManaged.config)', () => {
        const configs = shippedConfigs();
        configs.prod.observability = { ...(configs.prod.observability ?? {}), organizationManaged: { config: true } };
        const edited = validatePlatform(asRaw(configs));
        const app = Testing.app();
        const archive = new LogArchiveStack(app, { platform: edited });
        const prod = new ObservabilityStack(app, { platform: edited, environment: edited.environment('prod'), archive: archive.exports });
        prod.prepareStack();
        const json = synthJson(prod);
        for (const type of ['aws_config_configuration_recorder', 'aws_config_delivery_channel', 'aws_config_configuration_recorder_status', 'aws_iam_service_linked_role']) {
          expect(resourcesOf(json, type)).toEqual({});
        }
        expect(resourcesOf(json, 'aws_securityhub_standards_subscription')).not.toEqual({});
      });
    });

    it('sends high-severity GuardDuty findings to the critical topic', () => {
      const json = stackJson('prod');
      const rule = resourcesOf(json, 'aws_cloudwatch_event_rule').baseline_guardduty_findings;
      expect(JSON.parse(rule.event_pattern)).toMatchObject({ source: ['aws.guardduty'], detail: { severity: [{ numeric: ['>=', 7] }] } });
      expect(resourcesOf(json, 'aws_cloudwatch_event_target').baseline_guardduty_findings_target.arn).toBe('arn:aws:sns:eu-west-1:710987654321:prod-alerts-critical');
    });
  });

  describe('endpoint checks', () => {
    it('health-checks each public endpoint over HTTPS', () => {
      expect(resourcesOf(stackJson('prod'), 'aws_route53_health_check').endpoints_api).toMatchObject({
        type: 'HTTPS',
        fqdn: 'api.acme.example',
        port: 443,
        resource_path: '/healthz',
        request_interval: 10,
      });
    });

    it('alarms in us-east-1, where Route 53 publishes, to a topic of that region', () => {
      const json = stackJson('prod');
      expect(json.provider.aws.find((p: any) => p.alias === 'us_east_1')).toMatchObject({ region: 'us-east-1', allowed_account_ids: ['710987654321'] });
      expect(resourcesOf(json, 'aws_cloudwatch_metric_alarm').endpoints_api_unhealthy).toMatchObject({
        provider: 'aws.us_east_1',
        namespace: 'AWS/Route53',
        metric_name: 'HealthCheckStatus',
        dimensions: { HealthCheckId: '${aws_route53_health_check.endpoints_api.id}' },
        treat_missing_data: 'breaching',
        alarm_actions: ['arn:aws:sns:us-east-1:710987654321:prod-alerts-critical'],
      });
      expect(resourcesOf(json, 'aws_sns_topic').endpoint_alerts_critical.provider).toBe('aws.us_east_1');
    });

    it('creates no health check where the config lists no endpoint', () => {
      expect(resourcesOf(stackJson('shared'), 'aws_route53_health_check')).toEqual({});
      expect(stackJson('shared').provider.aws.find((p: any) => p.alias === 'us_east_1')).toBeUndefined();
    });
  });

  describe('backups', () => {
    // Issue 24: the tag `backup = true` was on no resource, so the plan protected nothing.
    it('protects exactly the resources the config names, selecting by nothing else', () => {
      const selection = resourcesOf(stackJson('dev'), 'aws_backup_selection').backup_selection;
      expect(selection.resources).toEqual(['arn:aws:rds:eu-west-1:510987654321:db:dev-api']);
      expect(selection.selection_tag).toBeUndefined();
      expect(selection.condition).toBeUndefined();
    });

    it('fails the config when backups are enabled with nothing to protect, or name a resource elsewhere', () => {
      const load = (backup: unknown) => () => validatePlatform(configsWith({ dev: { observability: { ...(dev as any).observability, backup } } }));
      expect(load({})).toThrow(/environments\/dev\/config.ts: observability.backup.resources: is empty while backups are enabled: the plan would protect nothing/);
      expect(load({ resources: ['arn:aws:rds:eu-west-1:710987654321:db:prod-api'] })).toThrow(/observability.backup.resources: must be in the environment's account 510987654321 and region eu-west-1/);
      expect(load({ resources: ['arn:aws:sqs:eu-west-1:510987654321:queue'] })).toThrow(/observability.backup.resources: is not the ARN of a resource AWS Backup protects here/);
      expect(load({ enabled: false })).not.toThrow();
    });

    // The vault notification events BACKUP_JOB_FAILED / RESTORE_JOB_FAILED are deprecated and send nothing.
    // https://docs.aws.amazon.com/aws-backup/latest/devguide/eventbridge.html
    it('routes failed, aborted and expired backup, copy and restore jobs to the critical topic through EventBridge', () => {
      const json = stackJson('dev');
      expect(resourcesOf(json, 'aws_backup_vault_notifications')).toEqual({});
      expect(JSON.parse(resourcesOf(json, 'aws_cloudwatch_event_rule').backup_failed_jobs.event_pattern)).toEqual({
        source: ['aws.backup'],
        'detail-type': ['Backup Job State Change', 'Copy Job State Change', 'Restore Job State Change'],
        detail: { $or: [{ state: ['FAILED', 'ABORTED', 'EXPIRED'] }, { state: ['FAILED', 'PARTIAL'] }, { status: ['FAILED', 'ABORTED'] }] },
      });
      expect(resourcesOf(json, 'aws_cloudwatch_event_target').backup_failed_jobs_target.arn).toBe('arn:aws:sns:eu-west-1:510987654321:dev-alerts-critical');
    });

    it('alarms when a protected resource type has no completed backup within the window (missing data breaches)', () => {
      expect(resourcesOf(stackJson('dev'), 'aws_cloudwatch_metric_alarm').backup_no_recovery_point_rds).toMatchObject({
        namespace: 'AWS/Backup',
        metric_name: 'NumberOfBackupJobsCompleted',
        dimensions: { ResourceType: 'RDS', BackupVaultName: 'dev-backups' },
        period: 86400,
        comparison_operator: 'LessThanThreshold',
        threshold: 1,
        treat_missing_data: 'breaching',
        alarm_actions: ['arn:aws:sns:eu-west-1:510987654321:dev-alerts-critical'],
      });
    });

    it('locks the prod vault and copies to a locked vault in the DR region', () => {
      const json = stackJson('prod');
      expect(Object.keys(resourcesOf(json, 'aws_backup_vault_lock_configuration')).sort()).toEqual(['backup_copy_vault_lock', 'backup_vault_lock']);
      expect(resourcesOf(json, 'aws_backup_vault').backup_copy_vault).toMatchObject({ provider: 'aws.dr', name: 'prod-backups-dr' });
      expect(json.provider.aws.find((p: any) => p.alias === 'dr')).toMatchObject({ region: 'eu-central-1' });
      const rule = resourcesOf(json, 'aws_backup_plan').backup_plan.rule[0];
      expect(rule.copy_action[0].destination_vault_arn).toBe('arn:aws:backup:eu-central-1:710987654321:backup-vault:prod-backups-dr');
      expect(rule.lifecycle.delete_after).toBe(35);
    });

    it('keeps dev backups in one unlocked vault', () => {
      const json = stackJson('dev');
      expect(resourcesOf(json, 'aws_backup_vault_lock_configuration')).toEqual({});
      expect(resourcesOf(json, 'aws_backup_plan').backup_plan.rule[0].copy_action).toBeUndefined();
      expect(resourcesOf(json, 'aws_backup_vault').backup_vault.kms_key_arn).toMatch(/^arn:aws:kms:eu-west-1:510987654321:key\//);
    });
  });

  it('draws a dashboard row per service of the environment config', () => {
    // jsonencode: the SEARCH expressions hold quotes, which a JSON string would carry as \" and
    // cdktf's HCL writer would break (modules/core/terraform-json.ts).
    const body = parseJsonencode(resourcesOf(stackJson('dev'), 'aws_cloudwatch_dashboard').dashboard.dashboard_body) as { widgets: any[] };
    const headers = body.widgets.filter((w: any) => w.type === 'text').map((w: any) => w.properties.markdown);
    const services = platform.environment('dev').services.list.map((s) => `## Service ${s.name}`);
    expect(services.length).toBeGreaterThan(0);
    expect(headers).toEqual([...services, '## Load balancers', '## Network']);
  });
});

describe('the shipped platform', () => {
  const app = Testing.app();
  const { all } = buildPlatform(app, platform);
  const jsons = all.map((stack) => [stack.node.id, JSON.parse(Testing.synth(stack))] as const);

  it.each(jsons.map(([name]) => [name]))('%s: every alarm watches a resource of its own stack', (name) => {
    expect(alarmsWatchingNothing(jsons.find(([n]) => n === name)![1])).toEqual([]);
  });

  it('gives the workload stacks default alarms', () => {
    const alarmNames = jsons.flatMap(([, json]) => Object.keys(resourcesOf(json, 'aws_cloudwatch_metric_alarm')));
    expect(alarmNames.filter((name) => name.startsWith('alarms_')).length).toBeGreaterThan(0);
  });
});
