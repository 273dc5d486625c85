/**
 * The alert topics of an environment, one per severity (`<env>-alerts-critical`,
 * `<env>-alerts-warning`): KMS-encrypted, published to by CloudWatch alarms, EventBridge rules
 * and AWS Backup, subscribed to as the severity routing says (prod critical pages, the rest
 * notifies). Other stacks address them by `alertTopicArn(env, severity)`, no cross-stack reference.
 */
import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import type { EnvironmentConfig } from '../../environments/schema';
import { ALERT_SEVERITIES, alertTopicName, type AlertSeverity } from '../core/shared-names';
import { policyDocument, type PolicyStatement } from '../core/iam';
import { terraformId } from '../core/naming';
import { CustomerManagedKey, serviceUsesKey } from '../core/customer-managed-key';
import { observabilitySettings } from './settings';

/** Services that publish alerts. */
export const ALERT_PUBLISHERS = {
  alarms: 'cloudwatch.amazonaws.com',
  events: 'events.amazonaws.com',
  backup: 'backup.amazonaws.com',
} as const;

export interface AlertTopicsProps {
  readonly environment: EnvironmentConfig;
  /** Accounts whose CloudWatch alarms may publish (the shared topics take every platform account's security alarms). @default - the environment's account */
  readonly alarmAccountIds?: readonly string[];
  /** Region of the topics (us-east-1 for Route 53 health-check alarms). @default - the environment's region */
  readonly region?: string;
  /** Severities to create. @default - every severity */
  readonly severities?: readonly AlertSeverity[];
  /** Provider of the topics' region. @default - the stack's default provider */
  readonly provider?: TerraformProvider;
}

export class AlertTopics extends Construct {
  /** Topic ARN by severity (deterministic, as `alertTopicArn`; depend on `topics` for ordering). */
  readonly topicArns: Partial<Record<AlertSeverity, string>>;
  readonly topics: Partial<Record<AlertSeverity, SnsTopic>>;
  readonly key: CustomerManagedKey;

  constructor(scope: Construct, id: string, props: AlertTopicsProps) {
    const accounts = props.alarmAccountIds ?? [props.environment.accountId];
    if (accounts.length === 0) throw new Error(`AlertTopics ${id}: alarmAccountIds is empty; list at least the environment's account ${props.environment.accountId}`);
    if (props.severities && props.severities.length === 0) throw new Error(`AlertTopics ${id}: severities is empty; omit it for every severity (${ALERT_SEVERITIES.join(', ')})`);
    super(scope, id);
    const env = props.environment;
    const region = props.region ?? env.region;
    const settings = observabilitySettings(env);

    this.key = new CustomerManagedKey(this, 'key', {
      provider: props.provider,
      description: `${env.name} alert topics`,
      aliasName: `alias/${env.name}-alerts`,
      accountId: env.accountId,
      region,
      statements: [serviceUsesKey('PublishersUseKey', Object.values(ALERT_PUBLISHERS))],
    });

    this.topicArns = {};
    this.topics = {};
    for (const severity of props.severities ?? ALERT_SEVERITIES) {
      const group = new Construct(this, severity);
      const name = alertTopicName(env.name, severity);
      const topic = new SnsTopic(group, 'Resource', { provider: props.provider, name, kmsMasterKeyId: this.key.arn });
      const arn = `arn:aws:sns:${region}:${env.accountId}:${name}`;
      new SnsTopicPolicy(group, 'policy', { provider: props.provider, arn, policy: topicPolicy(arn, env.accountId, accounts), dependsOn: [topic] });
      for (const { name: subscriptionName, subscription } of settings.subscriptions[severity]) {
        new SnsTopicSubscription(group, terraformId(subscriptionName), {
          provider: props.provider,
          topicArn: arn,
          dependsOn: [topic],
          protocol: subscription.protocol,
          endpoint: subscription.endpoint,
          endpointAutoConfirms: subscription.protocol === 'https' ? true : undefined,
        });
      }
      this.topics[severity] = topic;
      this.topicArns[severity] = arn;
    }
  }
}

/** Who may publish: the owning account, alarms of `alarmAccounts`, EventBridge and Backup of the owner; TLS only. */
export function topicPolicy(topicArn: string, ownerAccountId: string, alarmAccounts: readonly string[]): string {
  const statements: PolicyStatement[] = [
    {
      Sid: 'OwnerManages',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ownerAccountId}:root` },
      Action: ['sns:GetTopicAttributes', 'sns:SetTopicAttributes', 'sns:Subscribe', 'sns:ListSubscriptionsByTopic', 'sns:Publish'],
      Resource: topicArn,
    },
    {
      Sid: 'CloudWatchAlarmsPublish',
      Effect: 'Allow',
      Principal: { Service: ALERT_PUBLISHERS.alarms },
      Action: 'sns:Publish',
      Resource: topicArn,
      Condition: { StringEquals: { 'aws:SourceAccount': [...alarmAccounts] } },
    },
    {
      Sid: 'EventBridgeAndBackupPublish',
      Effect: 'Allow',
      Principal: { Service: [ALERT_PUBLISHERS.events, ALERT_PUBLISHERS.backup] },
      Action: 'sns:Publish',
      Resource: topicArn,
      Condition: { StringEquals: { 'aws:SourceAccount': ownerAccountId } },
    },
    {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 'sns:Publish',
      Resource: topicArn,
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ];
  return policyDocument(statements);
}
