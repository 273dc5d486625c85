/**
 * The security baseline of one account: GuardDuty, Security Hub with the AWS Foundational
 * Security Best Practices and CIS standards, IAM Access Analyzer, the account password policy
 * (CIS), EBS encryption by default and the account-level S3 public access block, and AWS Config
 * recording the account (what the Security Hub standards evaluate) unless the organization
 * manages Config. High-severity GuardDuty findings go to a topic of the same account, or to the
 * default event bus of the account that owns the topic (accounts without topics of their own:
 * log-archive, tooling).
 *
 * Where the organization enables GuardDuty or Security Hub from a delegated administrator, a
 * per-account detector or hub collides with it: `manageGuardDuty` / `manageSecurityHub` false
 * leave them to the organization (the findings rule stays: findings of an account are emitted
 * in that account too).
 */
import { Construct } from 'constructs';
import type { ITerraformDependable, TerraformProvider } from 'cdktf';
import { GuarddutyDetector } from '@cdktf/provider-aws/lib/guardduty-detector';
import { SecurityhubAccount } from '@cdktf/provider-aws/lib/securityhub-account';
import { SecurityhubStandardsSubscription } from '@cdktf/provider-aws/lib/securityhub-standards-subscription';
import { AccessanalyzerAnalyzer } from '@cdktf/provider-aws/lib/accessanalyzer-analyzer';
import { IamAccountPasswordPolicy } from '@cdktf/provider-aws/lib/iam-account-password-policy';
import { EbsEncryptionByDefault } from '@cdktf/provider-aws/lib/ebs-encryption-by-default';
import { S3AccountPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-account-public-access-block';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { policyDocument, serviceTrustPolicy } from '../core/iam';
import { GUARDDUTY_ALERT_MIN_SEVERITY, PASSWORD_POLICY, SECURITY_HUB_STANDARDS } from './defaults';
import { ConfigRecorder, type ConfigRecorderProps } from './config-recorder';

export interface SecurityBaselineProps {
  /** The account the baseline applies to. */
  readonly accountId: string;
  /** Region of the regional services (GuardDuty, Security Hub, Access Analyzer, EBS default). */
  readonly region: string;
  /** Short label of the account in names (`dev`, `log-archive`). */
  readonly accountLabel: string;
  /** Topic in the same account and region for high-severity GuardDuty findings. @default - no finding alerts */
  readonly findingsTopicArn?: string;
  /**
   * Default event bus of another account to forward the findings to (its rules route them to a
   * topic), when this account has no topic of its own. Exclusive with findingsTopicArn.
   * @default - none
   */
  readonly findingsEventBusArn?: string;
  /** Create the GuardDuty detector (false: the organization's delegated administrator manages it). @default true */
  readonly manageGuardDuty?: boolean;
  /** Enable Security Hub and its standards (false: the organization's central configuration does). @default true */
  readonly manageSecurityHub?: boolean;
  /**
   * AWS Config of this account and region, delivering to the archive.
   * @default - no recorder: the organization manages Config (`observability.organizationManaged.config`)
   */
  readonly config?: Omit<ConfigRecorderProps, 'accountId' | 'provider'>;
  /** Provider of the account. @default - the stack's default provider */
  readonly provider?: TerraformProvider;
  /** What the findings rule waits for (the topic of the same stack). @default - nothing */
  readonly findingsDependOn?: ITerraformDependable[];
}

export class SecurityBaseline extends Construct {
  readonly detector?: GuarddutyDetector;
  readonly securityHub?: SecurityhubAccount;
  /** Undefined when the organization manages Config. */
  readonly config?: ConfigRecorder;

  constructor(scope: Construct, id: string, props: SecurityBaselineProps) {
    if (!/^\d{12}$/.test(props.accountId)) throw new Error(`SecurityBaseline ${id}: accountId "${props.accountId}" is not a 12-digit account id`);
    super(scope, id);
    const { provider, region } = props;

    if (props.config) this.config = new ConfigRecorder(this, 'config', { ...props.config, accountId: props.accountId, provider });
    if (props.findingsTopicArn && props.findingsEventBusArn) {
      throw new Error(`SecurityBaseline ${id}: give findingsTopicArn or findingsEventBusArn, not both (got ${props.findingsTopicArn} and ${props.findingsEventBusArn})`);
    }
    if (props.manageGuardDuty ?? true) {
      this.detector = new GuarddutyDetector(this, 'guardduty', { provider, enable: true, findingPublishingFrequency: 'FIFTEEN_MINUTES' });
    }
    if (props.manageSecurityHub ?? true) {
      const hub = new SecurityhubAccount(this, 'security_hub', { provider, enableDefaultStandards: false, autoEnableControls: true });
      this.securityHub = hub;
      new SecurityhubStandardsSubscription(this, 'standard_foundational', {
        provider,
        standardsArn: SECURITY_HUB_STANDARDS.foundational(region),
        dependsOn: [hub],
      });
      new SecurityhubStandardsSubscription(this, 'standard_cis', {
        provider,
        standardsArn: SECURITY_HUB_STANDARDS.cis(region),
        dependsOn: [hub],
      });
    }
    new AccessanalyzerAnalyzer(this, 'access_analyzer', { provider, analyzerName: `${props.accountLabel}-account`, type: 'ACCOUNT' });
    new IamAccountPasswordPolicy(this, 'password_policy', {
      provider,
      minimumPasswordLength: PASSWORD_POLICY.minimumPasswordLength,
      passwordReusePrevention: PASSWORD_POLICY.passwordReusePrevention,
      maxPasswordAge: PASSWORD_POLICY.maxPasswordAgeDays,
      requireLowercaseCharacters: true,
      requireUppercaseCharacters: true,
      requireNumbers: true,
      requireSymbols: true,
      allowUsersToChangePassword: true,
    });
    new EbsEncryptionByDefault(this, 'ebs_encryption', { provider, enabled: true });
    new S3AccountPublicAccessBlock(this, 's3_public_access', {
      provider,
      accountId: props.accountId,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });

    const destination = props.findingsTopicArn ?? props.findingsEventBusArn;
    if (destination) {
      const rule = new CloudwatchEventRule(this, 'guardduty_findings', {
        provider,
        name: `${props.accountLabel}-guardduty-high-findings`,
        description: `GuardDuty findings of severity ${GUARDDUTY_ALERT_MIN_SEVERITY} or more`,
        eventPattern: JSON.stringify(guardDutyFindingsPattern()),
      });
      let roleArn: string | undefined;
      if (props.findingsEventBusArn) {
        // Cross-account delivery to an event bus needs a role of the sending account
        // (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html).
        const role = new IamRole(this, 'findings_forwarder', {
          provider,
          name: `${props.accountLabel}-guardduty-findings-forwarder`,
          description: 'EventBridge forwards GuardDuty findings to the account that alerts on them',
          assumeRolePolicy: serviceTrustPolicy('events.amazonaws.com', { StringEquals: { 'aws:SourceAccount': props.accountId } }),
        });
        new IamRolePolicy(this, 'findings_forwarder_policy', {
          provider,
          name: 'put-findings',
          role: role.id,
          policy: policyDocument([{ Sid: 'ForwardToAlertingBus', Effect: 'Allow', Action: 'events:PutEvents', Resource: props.findingsEventBusArn }]),
        });
        roleArn = role.arn;
      }
      new CloudwatchEventTarget(this, 'guardduty_findings_target', {
        provider,
        rule: rule.name,
        targetId: props.findingsTopicArn ? 'critical-alerts' : 'alerting-account-bus',
        arn: destination,
        roleArn,
        dependsOn: props.findingsDependOn,
      });
    }
  }
}

/** High-severity GuardDuty findings (https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_findings_eventbridge.html). */
export function guardDutyFindingsPattern(): Record<string, unknown> {
  return {
    source: ['aws.guardduty'],
    'detail-type': ['GuardDuty Finding'],
    detail: { severity: [{ numeric: ['>=', GUARDDUTY_ALERT_MIN_SEVERITY] }] },
  };
}
