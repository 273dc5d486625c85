/**
 * The audit trail of one account: a multi-region CloudTrail trail (global service events, log
 * file validation, SSE-KMS with the archive key) delivering to the central archive bucket and
 * to a CloudWatch Logs group of the account (retention by tier, KMS), with the CIS metric
 * filters and an alarm on each.
 *
 * One trail per account rather than an organization trail: an organization trail can only be
 * created from the management (or a delegated administrator) account, which this platform does
 * not deploy to, and a per-account trail keeps each account's CIS alarms in that account.
 */
import { Construct } from 'constructs';
import type { ITerraformDependable, TerraformProvider } from 'cdktf';
import { Cloudtrail } from '@cdktf/provider-aws/lib/cloudtrail';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { OrganizationConfig } from '../../environments/schema';
import { ARCHIVE_PREFIXES, logArchiveBucketName, roleArn } from '../core/shared-names';
import { policyDocument, serviceTrustPolicy } from '../core/iam';
import { CustomerManagedKey } from '../core/customer-managed-key';
import { metricAlarm } from './private/alarm';
import { CIS_FILTERS } from './private/cis';
import { LOG_RETENTION_CHOICES, SECURITY_METRIC_NAMESPACE, TRAIL_NAME } from './defaults';
import { isKmsAlias } from '../core/kms-reference';
import { protect } from '../core/protection';

export interface AuditTrailProps {
  readonly organization: OrganizationConfig;
  /**
   * ARN of the archive key the trail encrypts with: a key ARN, never an alias (CloudTrail
   * reads back the key ARN, so an alias shows as a change on every plan).
   */
  readonly kmsKeyArn: string;
  /** The account the trail records. */
  readonly accountId: string;
  /** Home region of the trail and its log group. */
  readonly region: string;
  /** Short label of the account in alarm names (`dev`, `log-archive`). */
  readonly accountLabel: string;
  /** Retention of the trail's log group, in days (the tier's). */
  readonly logRetentionDays: number;
  /** Topics the CIS alarms notify (the shared critical topic, and the environment's). */
  readonly alarmTopicArns: readonly string[];
  /** Provider of the account. @default - the stack's default provider */
  readonly provider?: TerraformProvider;
  /** What the alarms wait for (the topics of the same stack). @default - nothing */
  readonly alarmsDependOn?: ITerraformDependable[];
}

export class AuditTrail extends Construct {
  readonly trail: Cloudtrail;
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    if (!(LOG_RETENTION_CHOICES as readonly number[]).includes(props.logRetentionDays)) {
      throw new Error(`AuditTrail ${id}: logRetentionDays ${props.logRetentionDays} is not a CloudWatch Logs retention; use one of ${LOG_RETENTION_CHOICES.join(', ')}`);
    }
    if (isKmsAlias(props.kmsKeyArn)) {
      throw new Error(`AuditTrail ${id}: kmsKeyArn "${props.kmsKeyArn}" is an alias; CloudTrail reads back the key ARN and every plan would show a change. Pass the key ARN (LogArchiveStack.exports.keyArn)`);
    }
    if (props.alarmTopicArns.length === 0) {
      throw new Error(`AuditTrail ${id}: alarmTopicArns is empty; the CIS alarms need a topic (alertTopicArn(shared, 'critical'))`);
    }
    super(scope, id);
    const { provider, accountId, region } = props;
    const logGroupName = `/platform/cloudtrail/${TRAIL_NAME}`;
    const logsKey = new CustomerManagedKey(this, 'logs_key', {
      provider,
      description: `CloudTrail log group of ${props.accountLabel}`,
      aliasName: `alias/${props.accountLabel}-cloudtrail-logs`,
      accountId,
      region,
      statements: [
        {
          Sid: 'CloudWatchLogsUsesKey',
          Effect: 'Allow',
          Principal: { Service: `logs.${region}.amazonaws.com` },
          Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
          Resource: '*',
          Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${region}:${accountId}:log-group:*` } },
        },
      ],
    });
    this.logGroup = new CloudwatchLogGroup(this, 'log_group', {
      provider,
      name: logGroupName,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: logsKey.arn,
    });
    protect(this.logGroup, 'CloudTrail log group: the searchable audit record and its CIS metric filters');
    const roleName = `${TRAIL_NAME}-cloudwatch-logs`;
    const role = new IamRole(this, 'logs_role', {
      provider,
      name: roleName,
      assumeRolePolicy: serviceTrustPolicy('cloudtrail.amazonaws.com', { StringEquals: { 'aws:SourceAccount': accountId } }),
    });
    const rolePolicy = new IamRolePolicy(this, 'logs_role_policy', {
      provider,
      role: role.id,
      name: 'deliver-to-log-group',
      policy: policyDocument([
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: `arn:aws:logs:${region}:${accountId}:log-group:${logGroupName}:log-stream:*`,
        },
      ]),
    });
    this.trail = new Cloudtrail(this, 'Resource', {
      provider,
      name: TRAIL_NAME,
      s3BucketName: logArchiveBucketName(props.organization),
      s3KeyPrefix: ARCHIVE_PREFIXES.cloudTrail,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      enableLogging: true,
      kmsKeyId: props.kmsKeyArn,
      cloudWatchLogsGroupArn: `arn:aws:logs:${region}:${accountId}:log-group:${logGroupName}:*`,
      cloudWatchLogsRoleArn: roleArn(accountId, roleName),
      eventSelector: [{ readWriteType: 'All', includeManagementEvents: true }],
      dependsOn: [this.logGroup, role, rolePolicy],
    });
    protect(this.trail, 'CloudTrail trail: the audit record of the account stops while it is missing');

    const alarms = new Construct(this, 'cis');
    for (const filter of CIS_FILTERS) {
      const metricName = filter.metricName;
      new CloudwatchLogMetricFilter(alarms, `${filter.check}_filter`, {
        provider,
        name: `cis-${filter.check.replace(/_/g, '-')}`,
        logGroupName: this.logGroup.name,
        pattern: filter.pattern,
        metricTransformation: { name: metricName, namespace: SECURITY_METRIC_NAMESPACE, value: '1', defaultValue: '0' },
      });
      metricAlarm(
        alarms,
        {
          check: filter.check,
          alarmName: `${props.accountLabel}-cis-${filter.check.replace(/_/g, '-')}`,
          description: `${props.accountLabel} (${accountId}): ${filter.description}; read the trail's log group ${logGroupName}`,
          severity: 'critical',
          comparison: 'GreaterThanOrEqualToThreshold',
          threshold: 1,
          evaluationPeriods: 1,
          // The filter reports 0 while logs arrive without a match; silence (no log delivery at all) is not a security event.
          treatMissingData: 'notBreaching',
          metric: { namespace: SECURITY_METRIC_NAMESPACE, metricName, dimensions: {}, statistic: 'Sum' },
        },
        props.alarmTopicArns,
        provider,
        props.alarmsDependOn,
      );
    }
  }
}
