/**
 * Offline plans of synthesized stacks with real Terraform (tools/plan/run-plans.ts).
 *
 * @slow 11 terraform plan of several stacks
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { StackJson } from '../../../tools/terraform/check-workspace';
import { setupProblem } from '../../../tools/terraform/verify-stacks';
import {
  OFFLINE_PROVIDER_SETTINGS,
  OFFLINE_REMOTE_STATE_FILE,
  OFFLINE_STATE_FILE,
  offlineConfig,
  readOnlyConfig,
} from '../../../tools/plan/plan-config';
import { checkStacks, runPlans } from '../../../tools/plan/run-plans';
import { staleSynth } from '../../../tools/plan/synth-freshness';
import { main } from '../../../tools/plan/plan-cli';
import { readPlanJsonFile } from '../../../tools/plan/plan-json';
import { deployRoleToPlanRole } from '../../../tools/plan/stack-catalog';
import { shippedPlatform } from '../../helpers/platform';

const required = { required_providers: { aws: { source: 'aws', version: '5.100.0' } } };
const STATE_ROLE = 'arn:aws:iam::410987654321:role/platform-state';
const s3 = (key: string) => ({ s3: { bucket: 'acme-platform-terraform-state', key, region: 'eu-west-1', use_lockfile: true, assume_role: { role_arn: `${STATE_ROLE}-dev` } } });
const provider = (account: string, alias?: string) => ({
  ...(alias ? { alias } : {}),
  region: 'eu-west-1',
  allowed_account_ids: [account],
  assume_role: [{ role_arn: `arn:aws:iam::${account}:role/platform-deploy`, session_name: 'platform-dev-platform' }],
  default_tags: [{ tags: { environment: 'dev' } }],
});

const producer: StackJson = {
  terraform: { ...required, backend: s3('dev/network.tfstate') },
  provider: { aws: [provider('510987654321')] },
  output: { vpc_id: { value: '${aws_vpc.vpc.id}' }, app_subnet_ids: { value: ['${aws_subnet.a.id}', '${aws_subnet.b.id}'] } },
};
const consumer: StackJson = {
  terraform: { ...required, backend: s3('dev/platform.tfstate') },
  provider: { aws: [provider('510987654321'), provider('210987654321', 'hub')] },
  data: {
    terraform_remote_state: {
      network: {
        backend: 's3',
        config: { bucket: 'acme-platform-terraform-state', key: 'dev/network.tfstate', region: 'eu-west-1', assume_role: { role_arn: `${STATE_ROLE}-read` } },
      },
    },
  },
  output: {
    subnets: { value: '${data.terraform_remote_state.network.outputs.app_subnet_ids}' },
    vpc: { value: '${data.terraform_remote_state.network.outputs.vpc_id}' },
  },
};

function outdirWith(stacks: Record<string, StackJson>): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-out-'));
  for (const [name, json] of Object.entries(stacks)) {
    fs.mkdirSync(path.join(outdir, 'stacks', name), { recursive: true });
    fs.writeFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), JSON.stringify(json));
  }
  return outdir;
}

describe('the offline copy of a stack', () => {
  const { json, notes } = offlineConfig(consumer, { producerOf: (key) => (key === 'dev/network.tfstate' ? producer : undefined) });
  const providers = json.provider!.aws as Record<string, unknown>[];

  it('keeps state locally instead of in S3', () => {
    expect(json.terraform!.backend).toEqual({ local: { path: OFFLINE_STATE_FILE } });
  });

  it('gives every AWS provider stub credentials, no role and no account lock, and keeps region and tags', () => {
    for (const config of providers) {
      expect(config).toMatchObject({ ...OFFLINE_PROVIDER_SETTINGS, region: 'eu-west-1', default_tags: [{ tags: { environment: 'dev' } }] });
      expect(config).not.toHaveProperty('assume_role');
      expect(config).not.toHaveProperty('allowed_account_ids');
    }
    expect(providers[1].alias).toBe('hub');
  });

  it('says what it changed, including that the account lock is not checked', () => {
    expect(notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^state: local terraform\.tfstate instead of the s3 backend$/),
        expect.stringMatching(/^provider aws\.hub: .*dropped assume_role, allowed_account_ids \(the account id is not looked up offline/),
        'data.terraform_remote_state.network: stand-in outputs instead of reading dev/network.tfstate',
      ]),
    );
  });

  it('reads remote state from an empty local state with stand-ins shaped like the producer outputs', () => {
    expect(json.data!.terraform_remote_state!.network).toEqual({
      backend: 'local',
      config: { path: OFFLINE_REMOTE_STATE_FILE },
      defaults: { app_subnet_ids: ['mock-app_subnet_ids_0', 'mock-app_subnet_ids_1'], vpc_id: 'mock-vpc_id' },
    });
  });

  it('leaves the synthesized stack alone', () => {
    expect(consumer.terraform!.backend).toEqual(s3('dev/platform.tfstate'));
    expect((consumer.provider!.aws[0] as Record<string, unknown>).assume_role).toBeDefined();
  });
});

describe('the read-only copy of a stack', () => {
  const roles = deployRoleToPlanRole(shippedPlatform());

  it("assumes each account's plan role instead of its deploy role", () => {
    const { json } = readOnlyConfig(consumer, roles, 'dev-platform');
    const assumed = (json.provider!.aws as { assume_role: { role_arn: string; session_name: string }[] }[]).map((p) => p.assume_role[0]);
    expect(assumed).toEqual([
      { role_arn: 'arn:aws:iam::510987654321:role/platform-plan', session_name: 'platform-dev-platform' },
      { role_arn: 'arn:aws:iam::210987654321:role/platform-plan', session_name: 'platform-dev-platform' },
    ]);
  });

  it('reads its own state with the read-only state role and takes no lock (a lock is a write)', () => {
    const { json, notes } = readOnlyConfig(consumer, roles, 'dev-platform');
    expect(json.terraform!.backend).toEqual({ s3: { ...s3('dev/platform.tfstate').s3, use_lockfile: false, assume_role: { role_arn: `${STATE_ROLE}-read` } } });
    expect(notes).toEqual(
      expect.arrayContaining([
        `the backend: assumes ${STATE_ROLE}-read (read-only) instead of ${STATE_ROLE}-dev`,
        'backend s3: no lock (use_lockfile = false): the read-only state role writes no lock object',
      ]),
    );
  });

  it('reads remote state with the read-only state role', () => {
    const writing = JSON.parse(JSON.stringify(consumer));
    writing.data.terraform_remote_state.network.config.assume_role.role_arn = `${STATE_ROLE}-prod`;
    const { json } = readOnlyConfig(writing, roles, 'dev-platform');
    expect((json.data!.terraform_remote_state!.network as any).config.assume_role.role_arn).toBe(`${STATE_ROLE}-read`);
  });

  it.each([
    ['a state role the config does not know', { role_arn: 'arn:aws:iam::410987654321:role/somebody' }, /the backend assumes arn:aws:iam::410987654321:role\/somebody, which is no state role of the platform config/],
    ['no state role at all', undefined, /the backend assumes no state role, so a read-only plan would write state with the CI role's own rights/],
  ])('refuses a backend with %s', (_, assumeRole, message) => {
    const stack = JSON.parse(JSON.stringify(consumer));
    if (assumeRole) stack.terraform.backend.s3.assume_role = assumeRole;
    else delete stack.terraform.backend.s3.assume_role;
    expect(() => readOnlyConfig(stack, roles, 'dev-platform')).toThrow(message);
  });

  it('refuses a role that is no deploy role of the config', () => {
    const stranger = { ...consumer, provider: { aws: [provider('999999999999')] } };
    expect(() => readOnlyConfig(stranger, roles, 'dev-platform')).toThrow(
      /^stack dev-platform: provider aws assumes arn:aws:iam::999999999999:role\/platform-deploy, which is no deploy role of the platform config/,
    );
  });
});

describe('stack names', () => {
  const outdir = outdirWith({ 'dev-network': producer, 'dev-platform': consumer });

  it.each([
    [['dev-netwrok'], /^unknown stack "dev-netwrok": .* holds dev-network, dev-platform \(`npm run synth` after adding a stack\)$/],
    [['dev-network', 'nope', 'nada'], /^unknown stacks "nope", "nada": /],
    [['../etc'], /^stack name "\.\.\/etc" is not allowed/],
    [['dev-network', 'dev-network'], /^stack "dev-network" is given more than once$/],
    [[], /^no stacks given/],
  ])('%j is refused', (stacks, message) => {
    expect(() => checkStacks(outdir, stacks)).toThrow(message);
  });

  it('an unknown stack makes the CLI print one line and exit 1', async () => {
    let stdout = '';
    let stderr = '';
    const code = await main(['dev-netwrok', '--offline', '--outdir', outdir], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^plan: unknown stack "dev-netwrok": .*\n$/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it.each([
    [['dev-network', '--parallel', '0'], /^plan: --parallel "0" is not a positive whole number\n$/],
    [['dev-network', '--offline', '--read-only'], /^plan: --offline and --read-only exclude each other/],
  ])('%j is refused with one line', async (argv, message) => {
    let stderr = '';
    const code = await main([...argv, '--outdir', outdir], { stdout: () => undefined, stderr: (t) => (stderr += t) });
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
  });
});

const canRun = setupProblem() === undefined;
(canRun ? describe : describe.skip)('an offline plan with real Terraform', () => {
  // A stack that reads another's state and assumes roles: planned offline, its outputs come from the stand-ins.
  const outdir = outdirWith({ 'dev-network': producer, 'dev-platform': consumer });
  // Kept between runs (init results, the provider schema cache) so a second run is quick.
  const plansDir = path.join(os.tmpdir(), 'platform-plan-tests', 'run-plans');
  const schemaCache = path.join(os.tmpdir(), 'platform-plan-tests', 'aws-schema.json');

  it('writes the plan file, plan JSON and log, with the remote-state stand-ins typed by the provider schema', async () => {
    const [result] = await runPlans({ stacks: ['dev-platform'], outdir, plansDir, offline: true, schemaCache });
    expect(result).toMatchObject({ stack: 'dev-platform', ok: true, hasChanges: true });
    for (const file of [result.planFile, result.jsonFile, result.logFile]) expect(fs.existsSync(file)).toBe(true);
    const plan = readPlanJsonFile(result.jsonFile);
    expect(plan.output_changes?.subnets.after).toEqual(['mock-id', 'mock-id']);
    expect(plan.output_changes?.vpc.after).toBe('mock-id');
    expect(fs.readFileSync(result.logFile, 'utf8')).toMatch(/# provider aws\.hub: stub credentials/);
    // The synthesized stack is untouched; the work dir holds the offline copy.
    expect(JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'dev-platform', 'cdk.tf.json'), 'utf8'))).toEqual(consumer);
    expect(JSON.parse(fs.readFileSync(path.join(result.workDir, 'cdk.tf.json'), 'utf8')).terraform.backend).toEqual({ local: { path: OFFLINE_STATE_FILE } });
  });
});

describe('a synth output older than its sources', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-root-'));
  fs.mkdirSync(path.join(root, 'modules', 'network'), { recursive: true });
  fs.writeFileSync(path.join(root, 'modules', 'network', 'vpc.ts'), 'export {};\n');
  const outdir = outdirWith({ 'dev-network': producer });
  const hourAgo = new Date(Date.now() - 3_600_000);

  it('is refused, naming the newer source and the way out', async () => {
    fs.utimesSync(path.join(outdir, 'stacks', 'dev-network', 'cdk.tf.json'), hourAgo, hourAgo);
    expect(staleSynth(outdir, root)).toMatchObject({ source: path.join('modules', 'network', 'vpc.ts') });
    let stderr = '';
    const code = await main(['dev-network', '--offline', '--outdir', outdir], { stdout: () => undefined, stderr: (t) => (stderr += t) }, root);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^plan: .* is older than modules\/network\/vpc\.ts \(changed (59\.\d s|\d+ min \d+ s) after the synth\); run `npm run synth` first or pass --synth\n$/);
  });

  it('is fresh once synthesized after the last source change', () => {
    const now = new Date();
    fs.utimesSync(path.join(outdir, 'stacks', 'dev-network', 'cdk.tf.json'), now, now);
    fs.utimesSync(path.join(root, 'modules', 'network', 'vpc.ts'), hourAgo, hourAgo);
    expect(staleSynth(outdir, root)).toBeUndefined();
  });
});

(canRun ? describe : describe.skip)('planning several stacks', () => {
  // terraform_data needs no provider: two quick real plans.
  const tiny = (input: string): StackJson => ({ resource: { terraform_data: { marker: { input } } } } as unknown as StackJson);
  const outdir = outdirWith({ 'qa-one': tiny('one'), 'qa-two': tiny('two') });
  const plansDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-progress-'));

  it('shows progress: stack n of m and the time elapsed', async () => {
    let stdout = '';
    let stderr = '';
    const code = await main(['qa-one', 'qa-two', '--offline', '--parallel', '1', '--outdir', outdir, '--plans-dir', plansDir], {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
    });
    expect({ code, stderr }).toMatchObject({ code: 0 });
    expect(stderr.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(/^plan: \[1\/2\] qa-one: planning \(0 done, elapsed \d+\.\d s\)$/),
      expect.stringMatching(/^plan: 1 of 2 stacks planned, elapsed \d+\.\d s$/),
      expect.stringMatching(/^plan: \[2\/2\] qa-two: planning \(1 done, elapsed \d+\.\d s\)$/),
      expect.stringMatching(/^plan: 2 of 2 stacks planned, elapsed \d+\.\d s$/),
    ]);
    expect(stdout).toMatch(/^ok {3}qa-one: 1 to add/m);
  });
});
