/**
 * Container contracts over the synthesized platform: every secret a container gets resolves to
 * a secret whose value has the shape the variable takes, and the role that reads it (the
 * execution role for injected secrets, the task role for run-time reads) is a reader the secret's
 * policy names, so the access contracts (__tests__/contracts: 'secret readers, across accounts',
 * 'ECS task definitions') prove the read Allow with iam-simulate over identity, secret and key
 * policies, across accounts (issue 24; issue 16 defect 6). Roles that get no secret are no reader.
 *
 * Secret ARNs end in a random suffix and key ARNs in a random id, which no synthesized JSON holds:
 * they are built here from the names (`-AbCdEf`, `key/<stack>-secrets-key`); a reference that
 * cannot be resolved fails the test.
 */
import { App, Testing } from 'cdktf';
import { buildPlatform } from '../../stacks/platform-app';
import type { LayerStack } from '../../stacks/layer-stack';
import { shippedPlatform } from '../helpers/platform';
import { readJsonDocument } from '../helpers/json-document';
import { secretShape, type SecretConfig } from '../../modules/secrets/config-schema';

const platform = shippedPlatform();
const app = Testing.app() as App;
const stacks = buildPlatform(app, platform).all as LayerStack[];
app.synth();
const json = new Map(stacks.map((stack) => [stack.node.id, JSON.parse(Testing.synth(stack))]));
const SUFFIX = 'AbCdEf';

function envOf(stack: string) {
  return platform.environment(stack.replace(/-(platform|secrets)$/, ''));
}

/** The secrets stack's secret behind `${aws_secretsmanager_secret.<name>.arn}`. */
function secretByResource(secretsStack: string, name: string) {
  const env = envOf(secretsStack);
  const secret = json.get(secretsStack).resource.aws_secretsmanager_secret[name];
  if (!secret) throw new Error(`${secretsStack} has no aws_secretsmanager_secret.${name}`);
  return { stack: secretsStack, env, name: secret.name as string, arn: `arn:aws:secretsmanager:${env.region}:${env.accountId}:secret:${secret.name}-${SUFFIX}`, policy: JSON.parse(secret.policy) };
}

/** Resolves a platform value to a secret: a remote-state output of `<env>-secrets`, or a (partial) secret ARN of any secrets stack. */
function resolveSecret(value: string) {
  const remote = /^\$\{data\.terraform_remote_state\.cross_stack_reference_input_([a-z0-9_]+)_secrets\.outputs\.([A-Za-z0-9_]+)\}$/.exec(value);
  if (remote) {
    const secretsStack = `${remote[1].replace(/_/g, '-')}-secrets`;
    const target = /^\$\{aws_secretsmanager_secret\.([a-z0-9_]+)\.arn\}$/.exec(json.get(secretsStack)?.output?.[remote[2]]?.value ?? '');
    if (!target) throw new Error(`cannot resolve ${value} to a secret of ${secretsStack}`);
    return secretByResource(secretsStack, target[1]);
  }
  const partial = /^arn:aws:secretsmanager:[a-z0-9-]+:(\d{12}):secret:\/([a-z0-9-]+)\/(.+)$/.exec(value);
  if (partial) {
    const secretsStack = `${partial[2]}-secrets`;
    const found = Object.entries<any>(json.get(secretsStack)?.resource?.aws_secretsmanager_secret ?? {}).find(([, secret]) => secret.name === `/${partial[2]}/${partial[3]}`);
    if (!found) throw new Error(`${value} names no secret of ${secretsStack}`);
    return secretByResource(secretsStack, found[0]);
  }
  throw new Error(`cannot resolve ${value} to a secret`);
}

/** Principal ARNs the secret's policy lets read the value. */
function readersOf(secret: ReturnType<typeof secretByResource>): string[] {
  const allow = (secret.policy.Statement as any[]).find((statement) => statement.Sid === 'AllowReaders');
  return [allow?.Condition?.ArnEquals?.['aws:PrincipalArn'] ?? []].flat();
}

interface SecretUse {
  readonly stack: string;
  readonly container: string;
  readonly variable: string;
  readonly reader: string;
  readonly secret: ReturnType<typeof secretByResource>;
  readonly jsonKey?: string;
  readonly read: 'inject' | 'run-time';
}

const uses: SecretUse[] = [];
for (const [stackName, stack] of json) {
  if (!stackName.endsWith('-platform')) continue;
  for (const taskDef of Object.values<any>(stack.resource.aws_ecs_task_definition ?? {})) {
    for (const container of readJsonDocument(taskDef.container_definitions) as any[]) {
      for (const secret of container.secrets ?? []) {
        const match = /^(.*?)(?::([A-Za-z0-9_.-]*):([A-Za-z0-9_]*):([A-Za-z0-9-]*))?$/.exec(secret.valueFrom)!;
        uses.push({ stack: stackName, container: container.name, variable: secret.name, reader: taskDef.execution_role_arn, secret: resolveSecret(match[1]), jsonKey: match[2] || undefined, read: 'inject' });
      }
      for (const variable of container.environment ?? []) {
        if (!/secretsmanager/.test(variable.value)) continue;
        uses.push({ stack: stackName, container: container.name, variable: variable.name, reader: taskDef.task_role_arn, secret: resolveSecret(variable.value), read: 'run-time' });
      }
    }
  }
}

describe('container contracts', () => {
  it('finds injected and run-time secrets, across accounts too (the contracts exercise something)', () => {
    expect(uses.filter((use) => use.read === 'inject').length).toBeGreaterThanOrEqual(6);
    expect(uses.filter((use) => use.read === 'run-time').map((use) => `${use.stack} ${use.variable} -> ${use.secret.name}`)).toEqual(['prod-platform GITHUB_APP_KEY_SECRET_ARN -> /shared/platform/github-app-key']);
  });

  it.each(uses.map((use) => [`${use.stack} ${use.container} ${use.variable} (${use.read})`, use] as const))('%s: the value has the shape the variable takes', (_name, use) => {
    const config = (use.secret.env.secrets as SecretConfig[]).find((secret) => `/${use.secret.env.name}/${secret.name}` === use.secret.name)!;
    const shape = secretShape(config);
    if (use.read === 'run-time') return expect(use.jsonKey).toBeUndefined();
    if (shape.kind === 'json') expect(shape.keys).toContain(use.jsonKey);
    else expect(use.jsonKey).toBeUndefined();
  });

  it.each(uses.map((use) => [`${use.stack} ${use.container} ${use.variable}: ${use.reader.split(':role/')[1]} is a reader of ${use.secret.name}`, use] as const))('%s', (_name, use) => {
    expect(readersOf(use.secret)).toContain(use.reader);
  });

  it('names no role a reader that gets nothing from the secret (least privilege: the injecting or run-time reading role only)', () => {
    const wanted = new Set(uses.map((use) => `${use.reader} ${use.secret.arn}`));
    for (const [stackName, stackJson] of json) {
      if (!stackName.endsWith('-secrets')) continue;
      for (const name of Object.keys(stackJson.resource.aws_secretsmanager_secret ?? {})) {
        const secret = secretByResource(stackName, name);
        for (const reader of readersOf(secret)) expect({ reader, secret: secret.name, used: wanted.has(`${reader} ${secret.arn}`) }).toEqual({ reader, secret: secret.name, used: true });
      }
    }
  });
});
