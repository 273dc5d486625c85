/**
 * The secrets stack of every shipped environment, and a scan with real Terraform that no secret value reaches JSON, plan or state.
 *
 * @slow 14 a mocked terraform test of five stacks
 */
import { resolvedIn } from '../helpers/json-document';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing, TerraformVariable } from 'cdktf';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { SecretsStack } from '../../stacks/secrets-stack';
import { LayerStack } from '../../stacks/layer-stack';
import { ManagedSecret } from '../../modules/secrets/managed-secret';
import { SecretsKey } from '../../modules/secrets/secrets-key';
import { secretsReadPolicy } from '../../modules/secrets/read-policy';
import { shippedPlatform } from '../helpers/platform';
import { suppressionsOn } from '../../modules/guardrails/suppressions';
import { FAKE_NETWORK, platformWithSecrets, statementsOf } from '../modules/secrets/helpers';
import { resolveProviderSource, writeCliConfig } from '../../tools/terraform/provider-source';
import { CHECK_TEST_FILE, writeCheckWorkspace } from '../../tools/terraform/check-workspace';
import { runTerraform, terraformProblem } from '../../tools/terraform/terraform-cli';

/** A secrets stack of the shipped (or given) platform; `network: null` builds it without the network. */
function secretsStack(environment: string, platform = shippedPlatform(), network: typeof FAKE_NETWORK | null = FAKE_NETWORK) {
  return new SecretsStack(Testing.app(), { platform, environment: platform.environment(environment), network: network ?? undefined });
}
const json = (stack: LayerStack) => JSON.parse(Testing.synth(stack));
/** The shipped platform after the first apply: dev's rotated values were put, then `valueSet: true`. */
function withValuesSet() {
  const shipped = shippedPlatform().environment('dev').secrets as { rotation?: unknown }[];
  return platformWithSecrets({ dev: shipped.map((secret) => (secret.rotation ? { ...secret, valueSet: true } : secret)) });
}

describe('SecretsStack', () => {
  describe.each(['dev', 'staging', 'prod', 'shared'])('%s-secrets (shipped config)', (env) => {
    const synthesized = json(secretsStack(env));
    it('has one key with rotation and the environment alias', () => {
      expect(Object.keys(synthesized.resource.aws_kms_key)).toEqual(['secrets_key']);
      expect(synthesized.resource.aws_kms_alias.secrets_key_alias.name).toBe(`alias/${env}/secrets`);
    });
    it('names every secret /<env>/<name> and encrypts it with the key', () => {
      for (const secret of Object.values<any>(synthesized.resource.aws_secretsmanager_secret)) {
        expect(secret.name).toMatch(new RegExp(`^/${env}/`));
        expect(secret.kms_key_id).toBe('${aws_kms_key.secrets_key.arn}');
      }
    });
    it('writes no secret value', () => {
      for (const version of Object.values<any>(synthesized.resource.aws_secretsmanager_secret_version ?? {})) {
        expect(version.secret_string).toBeUndefined();
        expect(version.secret_binary).toBeUndefined();
      }
    });
  });

  describe('first apply (issue 16, defect 10): no rotation on a secret without a value', () => {
    const dev = json(secretsStack('dev'));
    it('starts no rotation, deploys no rotation function and raises no rotation alarm until the value is set', () => {
      expect(dev.resource.aws_secretsmanager_secret_rotation).toBeUndefined();
      expect(dev.resource.aws_serverlessapplicationrepository_cloudformation_stack).toBeUndefined();
      expect(dev.resource.aws_cloudwatch_event_rule?.rotation_failed).toBeUndefined();
    });
    it('says in the synth report why the secret does not rotate yet', () => {
      const stack = secretsStack('dev');
      expect(suppressionsOn(stack.secrets['api/db-password'])).toEqual([{ ruleId: 'PLAT-SM-2', reason: expect.stringMatching(/secrets\.api\/db-password\.valueSet: true/) }]);
    });
    it('starts rotation after the value, in the same apply, when Terraform writes the value', () => {
      const generated = platformWithSecrets({
        dev: [
          { name: 'api/db-password', description: 'generated', readers: ['api'], generatedValue: { version: 1 }, rotation: { intervalDays: 30, mechanism: 'aws-managed' } },
          { name: 'api/payments-api-key', description: 'by hand', readers: ['api'], manualRotation: 'payments team rotates it by hand every quarter' },
        ],
      });
      const synthesized = json(secretsStack('dev', generated));
      expect(synthesized.resource.aws_secretsmanager_secret_rotation.api_db_password_rotation.depends_on).toContain('aws_secretsmanager_secret_version.api_db_password_value');
    });
  });

  describe('least privilege for a service reader', () => {
    const dev = json(secretsStack('dev', withValuesSet()));
    const policy = statementsOf(dev.resource.aws_secretsmanager_secret.api_db_password.policy);
    // api injects the credential: its execution role reads it; its task role (no run-time read) does not.
    const readers = ['arn:aws:iam::510987654321:role/dev-api-execution'];
    it('lets only the injecting api execution role and the rotation function read the value', () => {
      expect(policy.DenyValueToAllButReaders.Condition!.StringNotLike['aws:PrincipalArn']).toEqual([...readers, 'arn:aws:iam::510987654321:role/serverlessrepo-dev-*']);
      expect(policy.AllowReaders.Condition!.ArnEquals['aws:PrincipalArn']).toEqual(readers);
    });
    it('does not let the web service read api secrets', () => {
      expect(JSON.stringify(policy)).not.toMatch(/dev-web-/);
      expect(dev.resource.aws_kms_key.secrets_key.policy).not.toMatch(/dev-web-/);
    });
    it('rotates api/db-password with the SAR function in the app subnets, never replacing the secret', () => {
      const app = dev.resource.aws_serverlessapplicationrepository_cloudformation_stack.api_db_password_rotation_function_application;
      expect(app.parameters).toMatchObject({ functionName: 'dev-api-db-password-rotation', vpcSubnetIds: '${join(",", ["subnet-app-a", "subnet-app-b"])}' });
      expect(dev.resource.aws_secretsmanager_secret_rotation.api_db_password_rotation).toMatchObject({
        rotation_lambda_arn: 'arn:aws:lambda:eu-west-1:510987654321:function:dev-api-db-password-rotation',
        rotate_immediately: false,
      });
    });
    it('alerts the critical topic when a rotation fails', () => {
      expect(dev.resource.aws_cloudwatch_event_target.rotation_failed_alert_topic.arn).toBe('arn:aws:sns:eu-west-1:510987654321:dev-alerts-critical');
    });
  });

  describe('cross-account grant (shared -> prod api)', () => {
    const stack = secretsStack('shared', shippedPlatform(), null);
    const shared = json(stack);
    const prodRole = 'arn:aws:iam::710987654321:role/prod-api-task';
    it('names the prod role in the resource policy and the key policy', () => {
      const policy = statementsOf(shared.resource.aws_secretsmanager_secret.platform_github_app_key.policy);
      expect(policy.AllowReaders).toMatchObject({ Principal: { AWS: 'arn:aws:iam::710987654321:root' }, Condition: { ArnEquals: { 'aws:PrincipalArn': [prodRole] } } });
      const key = statementsOf(shared.resource.aws_kms_key.secrets_key.policy);
      expect(key.ReadersDecryptThroughSecretsManager.Condition!.ArnLike['aws:PrincipalArn']).toEqual([prodRole]);
    });
    it('hands the consumer a grant whose IAM policy names the full key ARN', () => {
      const grant = stack.grants.find((g) => g.principalArn === prodRole)!;
      expect(grant.crossAccount).toBe(true);
      // The consumer's policy names resources of this stack, so it is rendered with jsonencode: resolve it here.
      const consumer = statementsOf(resolvedIn(stack, secretsReadPolicy([grant], grant.region)));
      expect(consumer.DecryptThroughSecretsManager.Resource).toEqual([resolvedIn(stack, grant.kmsKeyArn)]);
      expect(consumer.ReadListedSecrets.Resource).toEqual([resolvedIn(stack, grant.secretArn)]);
      expect(String(consumer.DecryptThroughSecretsManager.Resource)).toMatch(/aws_kms_key\.secrets_key/);
    });
  });

  describe('exports', () => {
    it('hands the container platform every secret by short name', () => {
      const stack = secretsStack('dev');
      expect(Object.keys(stack.exports.secrets).sort()).toEqual(['api/db-password', 'api/payments-api-key']);
      expect(stack.exports.secrets['api/db-password']).toMatchObject({ name: 'api/db-password', secretName: '/dev/api/db-password' });
    });
  });

  describe('misuse', () => {
    it('requires the network when a secret rotates with a SAR function', () => {
      expect(() => secretsStack('dev', withValuesSet(), null)).toThrow(/dev-secrets: network is required because api\/db-password rotate with a Serverless Application Repository function/);
    });
  });
});

/**
 * The no-value scan. Terraform keeps `terraform test` state in memory, but with `-json -verbose`
 * it prints every run's full plan (`test_plan`) and state (`test_state`) as JSON, sensitive
 * values included. So: synthesize the stacks, mock-plan and mock-apply them, and search every
 * byte Terraform printed (and the synthesized JSON) for the values the test fed in.
 *
 * - `sentinel`: a stack writing a value through our write-only path (an ephemeral variable ->
 *   `secret_string_wo`); the value must appear nowhere.
 * - `control`: the same stack writing the value the forbidden way (`secret_string`); the scan
 *   must find it, or the scan proves nothing.
 * - the shipped dev, prod and shared secrets stacks: no `secret_string` in their state.
 *
 * All five go into one Terraform root as child modules, as the stack checks do
 * (tools/terraform/check-workspace.ts): the AWS provider starts once, not five times. Each
 * stack's part of the plan and state is read by its module address.
 */
describe('no secret value in synthesized JSON, plan or state', () => {
  const SENTINEL = 'SENTINEL-9f3b2c-never-in-state';
  const CONTROL = 'CONTROL-4d1e7a-visible-in-state';
  const workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-scan-'));
  const problem = terraformProblem();
  /** Per scanned stack: its synthesized JSON (`<name>`) and its part of the plan and state (`<name>:terraform`). */
  const runs = new Map<string, string>();
  /** Everything `terraform test` printed. */
  let printed = '';

  function valueStack(id: string, writeOnly: boolean): LayerStack {
    const platform = platformWithSecrets();
    const stack = new LayerStack(Testing.app(), { platform, environment: platform.environment('dev'), layer: id });
    const value = new TerraformVariable(stack, 'secret_value', { type: 'string', sensitive: true, nullable: false });
    if (writeOnly) value.addOverride('ephemeral', true);
    const key = new SecretsKey(stack, 'secrets_key', {
      accountId: '510987654321', region: 'eu-west-1', aliasName: 'alias/dev/secrets', description: 'scan', deletionWindowDays: 7,
      administratorArns: ['arn:aws:iam::510987654321:role/platform-deploy'],
    });
    const secret = new ManagedSecret(stack, 'scanned', {
      secretName: '/dev/scan/value', description: 'scan', key, organizationId: 'o-a1b2c3d4e5', recoveryWindowDays: 7,
      administratorArns: ['arn:aws:iam::510987654321:role/platform-deploy'],
      valueWriterArn: 'arn:aws:iam::510987654321:role/platform-deploy',
      writeOnlyValue: writeOnly ? { value: value.stringValue, version: 1 } : undefined,
    });
    if (!writeOnly) new SecretsmanagerSecretVersion(stack, 'forbidden_plain_value', { secretId: secret.arn, secretString: value.stringValue });
    return stack;
  }

  /** Mock-plans and mock-applies the stacks in one root; the variables feed each stack's own variables. */
  async function mockApply(jobs: readonly [name: string, stack: LayerStack, variables: Record<string, string>][]): Promise<void> {
    const outdir = path.join(workdir, 'cdktf.out');
    for (const [name, stack] of jobs) {
      const synthesized = Testing.synth(stack);
      runs.set(name, synthesized);
      fs.mkdirSync(path.join(outdir, 'stacks', name), { recursive: true });
      fs.writeFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), synthesized);
    }
    const root = path.join(workdir, 'root');
    const modules = new Map(writeCheckWorkspace(outdir, root, jobs.map(([name]) => name)).map((checked) => [checked.stack, checked.module]));
    const main = JSON.parse(fs.readFileSync(path.join(root, 'main.tf.json'), 'utf8'));
    const rootVariables: Record<string, unknown> = {};
    const values: string[] = [];
    for (const [name, , variables] of jobs) {
      const module = modules.get(name)!;
      for (const [variable, value] of Object.entries(variables)) {
        // A root variable per stack variable, declared like it (an ephemeral one only takes an ephemeral value).
        const declared = JSON.parse(runs.get(name)!).variable[variable];
        rootVariables[`${module}_${variable}`] = { type: 'string', sensitive: true, ...(declared.ephemeral ? { ephemeral: true } : {}) };
        main.module[module][variable] = `\${var.${module}_${variable}}`;
        values.push(`  ${module}_${variable} = "${value}"`);
      }
    }
    fs.writeFileSync(path.join(root, 'main.tf.json'), JSON.stringify({ ...main, variable: rootVariables }, null, 2));
    fs.writeFileSync(
      path.join(root, CHECK_TEST_FILE),
      ['mock_provider "aws" {}', `variables {\n${values.join('\n')}\n}`, 'run "plan" {\n  command = plan\n}', 'run "apply" {\n  command = apply\n}'].join('\n\n'),
    );

    const env = { TF_CLI_CONFIG_FILE: writeCliConfig(root, resolveProviderSource()) };
    const init = await runTerraform(['init', '-backend=false', '-input=false', '-no-color'], { cwd: root, env });
    if (init.code !== 0) throw new Error(`terraform init of the scan failed:\n${init.stderr}`);
    const test = await runTerraform(['test', '-json', '-verbose', '-no-color'], { cwd: root, env });
    printed = test.stdout;
    const messages = test.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line));
    const plan = messages.find((message) => message.type === 'test_plan')?.test_plan;
    const state = messages.find((message) => message.type === 'test_state')?.test_state;
    if (test.code !== 0 || !plan || !state) {
      throw new Error(`terraform test of the scan did not plan and apply (exit ${test.code}):\n${test.stdout.slice(-4000)}\n${test.stderr}`);
    }
    for (const [name] of jobs) {
      const address = `module.${modules.get(name)}`;
      const planned = plan.resource_changes.filter((change: { module_address?: string }) => change.module_address === address);
      const stored = state.root_module.child_modules?.find((child: { address: string }) => child.address === address);
      if (planned.length === 0 || !stored) throw new Error(`the scan did not plan and apply ${name} (${address})`);
      runs.set(`${name}:terraform`, JSON.stringify({ planned, stored }));
    }
  }

  beforeAll(async () => {
    if (problem) return;
    await mockApply([
      ['sentinel', valueStack('scan-sentinel', true), { secret_value: SENTINEL }],
      ['control', valueStack('scan-control', false), { secret_value: CONTROL }],
      ['dev-secrets', secretsStack('dev'), {}],
      ['prod-secrets', secretsStack('prod'), {}],
      ['shared-secrets', secretsStack('shared', shippedPlatform(), null), {}],
    ]);
  }, 300_000);

  afterAll(() => fs.rmSync(workdir, { recursive: true, force: true }));

  it('has terraform to run', () => expect(problem).toBeUndefined());

  it('finds a value written the forbidden way (the scan can fail)', () => {
    expect(runs.get('control:terraform')).toContain(CONTROL);
    // ...in the stored state, where the shipped stacks are searched below.
    expect(JSON.stringify(JSON.parse(runs.get('control:terraform')!).stored)).toMatch(/"secret_string":"CONTROL-/);
  });

  it('keeps the write-only value out of synthesized JSON, plan and state', () => {
    expect(runs.get('sentinel')).toContain('secret_string_wo');
    expect(runs.get('sentinel')).not.toContain(SENTINEL);
    expect(runs.get('sentinel:terraform')).toContain('aws_secretsmanager_secret_version');
    expect(printed).toContain('"type":"test_state"');
    expect(printed).not.toContain(SENTINEL);
  });

  it.each(['dev-secrets', 'prod-secrets', 'shared-secrets'])('%s mock-applies with no secret_string in its state', (name) => {
    const output = runs.get(`${name}:terraform`)!;
    expect(output).toContain('aws_secretsmanager_secret');
    expect(output).not.toMatch(/"secret_string":"[^"]/);
    expect(output).not.toMatch(/"secret_binary":"[^"]/);
  });
});
