/**
 * Notification contracts over every synthesized stack (issue 24): every alarm action and every
 * EventBridge target names a topic, bus or runbook the platform creates, with a policy and a
 * customer-managed key; the access contracts (__tests__/contracts: 'alert publishers',
 * 'GuardDuty findings forwarded to the alerting account', 'a rotation rolls the services...')
 * prove with iam-simulate that the publishing service gets in. Every event a rule waits for is
 * one the service emits (no deprecated notification is used), and every account's GuardDuty
 * findings reach a topic someone subscribes to.
 */
import { App, Testing } from 'cdktf';
import { buildPlatform } from '../../stacks/platform-app';
import type { LayerStack } from '../../stacks/layer-stack';
import { shippedPlatform } from '../helpers/platform';

const platform = shippedPlatform();
const app = Testing.app() as App;
const stacks = buildPlatform(app, platform).all as LayerStack[];
app.synth();
const json = new Map(stacks.map((stack) => [stack.node.id, JSON.parse(Testing.synth(stack))]));

/**
 * Events the platform's rules wait for, by source, with the page listing them. A rule on anything
 * else waits for an event that never comes.
 */
const EMITTED: Readonly<Record<string, { page: string; detailTypes: readonly string[] }>> = {
  'aws.guardduty': { page: 'https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_findings_eventbridge.html', detailTypes: ['GuardDuty Finding'] },
  'aws.backup': { page: 'https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-backup.html', detailTypes: ['Backup Job State Change', 'Copy Job State Change', 'Restore Job State Change'] },
  // Secrets Manager rotation results arrive through CloudTrail (eventName RotationSucceeded, RotationFailed, RotationAbandoned).
  'aws.secretsmanager': { page: 'https://docs.aws.amazon.com/secretsmanager/latest/userguide/monitoring-eventbridge.html', detailTypes: ['AWS Service Event via CloudTrail'] },
};
const SECRETS_MANAGER_ROTATION_EVENTS = ['RotationSucceeded', 'RotationFailed', 'RotationAbandoned'];
/** Vault notification events the AWS Backup API marks deprecated (they send nothing). */
const DEPRECATED_BACKUP_EVENTS = ['BACKUP_JOB_FAILED', 'RESTORE_JOB_FAILED', 'BACKUP_JOB_SUCCESSFUL', 'RESTORE_JOB_SUCCESSFUL'];

interface Placed {
  readonly stack: string;
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly config: any;
}

/** Every resource of a type, with the account and region of its provider. */
function all(type: string): Placed[] {
  const found: Placed[] = [];
  for (const [stack, stackJson] of json) {
    const providers = [stackJson.provider?.aws ?? []].flat();
    for (const [name, config] of Object.entries<any>(stackJson.resource?.[type] ?? {})) {
      const alias = typeof config.provider === 'string' ? config.provider.replace(/^aws\./, '') : undefined;
      const provider = providers.find((p: any) => (alias ? p.alias === alias : p.alias === undefined));
      found.push({ stack, name, account: provider.allowed_account_ids[0], region: provider.region, config });
    }
  }
  return found;
}

interface Topic {
  readonly arn: string;
  readonly account: string;
  readonly policy: unknown;
  readonly keyArn: string;
  readonly keyPolicy: unknown;
  readonly subscriptions: number;
}

const topics = new Map<string, Topic>();
for (const topic of all('aws_sns_topic')) {
  const arn = `arn:aws:sns:${topic.region}:${topic.account}:${topic.config.name}`;
  const stackJson = json.get(topic.stack);
  const policy = Object.values<any>(stackJson.resource.aws_sns_topic_policy ?? {}).find((p) => p.arn === arn);
  const keyName = /\$\{aws_kms_key\.([a-z0-9_]+)\.(?:key_id|arn)\}/.exec(topic.config.kms_master_key_id ?? '')?.[1];
  const subscriptions = Object.values<any>(stackJson.resource.aws_sns_topic_subscription ?? {}).filter((s) => s.topic_arn === arn).length;
  topics.set(arn, {
    arn,
    account: topic.account,
    policy: policy ? JSON.parse(policy.policy) : undefined,
    keyArn: `arn:aws:kms:${topic.region}:${topic.account}:key/${keyName}`,
    keyPolicy: keyName ? JSON.parse(stackJson.resource.aws_kms_key[keyName].policy) : undefined,
    subscriptions,
  });
}

/** Problems of a topic an alarm or rule notifies: it must exist, with a policy and a customer-managed key. */
function topicProblems(topicArn: string): string[] {
  const topic = topics.get(topicArn);
  if (!topic) return [`no stack creates topic ${topicArn}`];
  return [...(topic.policy ? [] : [`${topicArn} has no topic policy`]), ...(topic.keyPolicy ? [] : [`${topicArn} has no customer-managed key`])];
}

const alarms = all('aws_cloudwatch_metric_alarm');
const targets = all('aws_cloudwatch_event_target');

describe('notification contracts', () => {
  it('exercises every alarm and every rule target of the platform', () => {
    expect(alarms.length).toBeGreaterThan(100);
    expect(targets.length).toBeGreaterThanOrEqual(12);
  });

  it.each(alarms.map((alarm) => [`${alarm.stack} ${alarm.name}`, alarm] as const))('%s notifies topics the platform creates', (_name, alarm) => {
    const actions = [...(alarm.config.alarm_actions ?? []), ...(alarm.config.ok_actions ?? [])].filter((arn: string) => arn.startsWith('arn:aws:sns:'));
    expect(actions.length).toBeGreaterThan(0);
    expect([...new Set(actions)].flatMap((arn: string) => topicProblems(arn))).toEqual([]);
  });

  it.each(targets.map((target) => [`${target.stack} ${target.name} -> ${target.config.arn}`, target] as const))('%s: the target exists and lets the rule in', (_name, target) => {
    const arn: string = target.config.arn;
    if (arn.startsWith('arn:aws:sns:')) return expect(topicProblems(arn)).toEqual([]);
    // Buses and runbooks are reached with a role of the rule's account that EventBridge assumes.
    const stackJson = json.get(target.stack);
    const roleName = /\$\{aws_iam_role\.([a-z0-9_]+)\.arn\}/.exec(target.config.role_arn ?? '')?.[1] ?? Object.entries<any>(stackJson.resource.aws_iam_role).find(([, role]) => String(target.config.role_arn).endsWith(`:role/${role.name}`))?.[0];
    expect(roleName).toBeDefined();
    expect(JSON.parse(stackJson.resource.aws_iam_role[roleName!].assume_role_policy).Statement[0].Principal.Service).toBe('events.amazonaws.com');
    if (arn.includes(':event-bus/')) expect(all('aws_cloudwatch_event_bus_policy').some((p) => p.account === arn.split(':')[4])).toBe(true);
    else if (arn.includes(':automation-definition/')) expect(Object.values<any>(stackJson.resource.aws_ssm_document).some((doc) => arn.includes(`/${doc.name}:`))).toBe(true);
    else throw new Error(`no contract for target ${arn}`);
  });

  it.each(all('aws_cloudwatch_event_rule').map((rule) => [`${rule.stack} ${rule.name}`, rule] as const))('%s waits for events the service emits', (_name, rule) => {
    const pattern = JSON.parse(rule.config.event_pattern);
    for (const source of pattern.source) {
      const emitted = EMITTED[source];
      expect({ source, known: emitted !== undefined }).toEqual({ source, known: true });
      for (const detailType of pattern['detail-type']) expect(emitted.detailTypes).toContain(detailType);
      if (source === 'aws.secretsmanager') for (const name of pattern.detail.eventName) expect(SECRETS_MANAGER_ROTATION_EVENTS).toContain(name);
    }
  });

  it('uses no deprecated AWS Backup vault notification (they send nothing)', () => {
    for (const notifications of all('aws_backup_vault_notifications')) {
      expect(notifications.config.backup_vault_events.filter((event: string) => DEPRECATED_BACKUP_EVENTS.includes(event))).toEqual([]);
    }
  });

  it("sends every account's GuardDuty findings to a subscribed topic (its own, or through the bus of the account that has one)", () => {
    const accounts = new Set<string>([...json.values()].flatMap((stackJson) => [stackJson.provider?.aws ?? []].flat().map((p: any) => p.allowed_account_ids[0])));
    const findingsRules = all('aws_cloudwatch_event_rule').filter((rule) => JSON.parse(rule.config.event_pattern).source.includes('aws.guardduty'));
    const destination = (account: string, seen = new Set<string>()): string | undefined => {
      if (seen.has(account)) return undefined;
      seen.add(account);
      for (const rule of findingsRules.filter((r) => r.account === account)) {
        for (const target of targets.filter((t) => t.stack === rule.stack && t.config.rule === `\${aws_cloudwatch_event_rule.${rule.name}.name}`)) {
          if (target.config.arn.startsWith('arn:aws:sns:') && (topics.get(target.config.arn)?.subscriptions ?? 0) > 0) return target.config.arn;
          if (target.config.arn.includes(':event-bus/')) {
            const reached = destination(target.config.arn.split(':')[4], seen);
            if (reached) return reached;
          }
        }
      }
      return undefined;
    };
    const unread = [...accounts].filter((account) => destination(account) === undefined);
    expect(unread).toEqual([]);
    expect(accounts.size).toBe(6);
  });
});
