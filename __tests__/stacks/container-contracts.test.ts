/**
 * Container contracts over the synthesized platform: every secret a container gets resolves to
 * a secret whose value has the shape the variable takes, and is readable by the role that reads
 * it (the execution role for injected secrets, the task role for run-time reads), proven by a
 * real IAM evaluator over the identity policy, the secret's resource policy and the key policy as
 * synthesized, across accounts (issue 24; issue 16 defect 6). Paths that must not exist are Deny.
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
import { decide, type Decision } from '../helpers/simulate';
import { secretShape, type SecretConfig } from '../../modules/secrets/config-schema';

const platform = shippedPlatform();
const app = Testing.app() as App;
const stacks = buildPlatform(app, platform).all as LayerStack[];
app.synth();
const json = new Map(stacks.map((stack) => [stack.node.id, JSON.parse(Testing.synth(stack))]));
const SUFFIX = 'AbCdEf';
const ORG = platform.shared.organization!.id;

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

function keyOf(secretsStack: string) {
  const env = envOf(secretsStack);
  return { arn: `arn:aws:kms:${env.region}:${env.accountId}:key/${secretsStack}-secrets-key`, policy: JSON.parse(json.get(secretsStack).resource.aws_kms_key.secrets_key.policy) };
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

/** Inline policies of a role of a platform stack, with secret and key references resolved. */
function rolePolicies(platformStack: string, roleArn: string): unknown[] {
  const stack = json.get(platformStack);
  const roleName = roleArn.split(':role/')[1];
  const [key] = Object.entries<any>(stack.resource.aws_iam_role).find(([, role]) => role.name === roleName) ?? [];
  if (!key) return [];
  const resolve = (text: string) =>
    text
      .replace(/\$\{data\.terraform_remote_state\.[^}]+\}/g, (ref) => resolveSecret(ref).arn)
      .replace(/\$\{data\.terraform_remote_state\.cross_stack_reference_input_([a-z0-9_]+)_secrets\.outputs\.[A-Za-z0-9_]+\}/g, '');
  return Object.values<any>(stack.resource.aws_iam_role_policy ?? {})
    .filter((policy) => policy.role === `\${aws_iam_role.${key}.id}`)
    .map((policy) => {
      let text = String(policy.policy);
      // Key references resolve to the key of the secrets stack they come from.
      text = text.replace(/\$\{data\.terraform_remote_state\.cross_stack_reference_input_([a-z0-9_]+)_secrets\.outputs\.([A-Za-z0-9_]+)\}/g, (ref, env: string, output: string) => {
        const secretsStack = `${env.replace(/_/g, '-')}-secrets`;
        const value = json.get(secretsStack).output[output].value;
        return value === '${aws_kms_key.secrets_key.arn}' ? keyOf(secretsStack).arn : ref;
      });
      return readJsonDocument(resolve(text));
    });
}

/** Can `principalArn` of `platformStack` read the secret and decrypt it through Secrets Manager? */
async function canRead(platformStack: string, principalArn: string, secret: ReturnType<typeof secretByResource>): Promise<[Decision, Decision]> {
  const identityPolicies = rolePolicies(platformStack, principalArn);
  const context = { 'aws:SecureTransport': 'true', 'aws:PrincipalOrgID': ORG };
  const read = await decide({ principal: principalArn, action: 'secretsmanager:GetSecretValue', resource: secret.arn, resourceAccount: secret.env.accountId, identityPolicies, resourcePolicy: secret.policy, context });
  const key = keyOf(secret.stack);
  const decrypt = await decide({
    principal: principalArn,
    action: 'kms:Decrypt',
    resource: key.arn,
    resourceAccount: secret.env.accountId,
    identityPolicies,
    resourcePolicy: key.policy,
    context: { 'kms:ViaService': `secretsmanager.${secret.env.region}.amazonaws.com`, 'aws:PrincipalOrgID': ORG },
  });
  return [read, decrypt];
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

  it.each(uses.map((use) => [`${use.stack} ${use.container} ${use.variable}: ${use.reader.split(':role/')[1]} reads ${use.secret.name}`, use] as const))('%s', async (_name, use) => {
    expect(await canRead(use.stack, use.reader, use.secret)).toEqual(['Allowed', 'Allowed']);
  });

  describe('paths that must not exist', () => {
    const github = () => resolveSecret('arn:aws:secretsmanager:eu-west-1:210987654321:secret:/shared/platform/github-app-key');
    const prodDb = () => resolveSecret(uses.find((use) => use.stack === 'prod-platform' && use.variable === 'DB_PASSWORD')!.secret.arn.replace(/-AbCdEf$/, ''));
    it.each([
      ['the prod api execution role (injects nothing of shared) -> the GitHub App key', 'prod-platform', 'arn:aws:iam::710987654321:role/prod-api-execution', github],
      ['the staging api task role -> the GitHub App key', 'staging-platform', 'arn:aws:iam::610987654321:role/staging-api-task', github],
      ['the prod web task role -> the prod database credential', 'prod-platform', 'arn:aws:iam::710987654321:role/prod-web-task', prodDb],
      ['the dev api execution role -> the prod database credential', 'dev-platform', 'arn:aws:iam::510987654321:role/dev-api-execution', prodDb],
    ])('%s: Deny', async (_name, stack, principal, secret) => {
      const [read] = await canRead(stack, principal, secret());
      expect(read).not.toBe('Allowed');
    });
  });
});
