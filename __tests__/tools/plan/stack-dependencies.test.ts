/**
 * Stacks that read each other's state, disappear or fail half-way, with real Terraform on local
 * state: producer/reader pairs of `terraform_data` and `terraform_remote_state` (both built into
 * Terraform: no provider to install, so every init is quick and offline).
 *
 * dev-network (subnets per zone, `subnet_<zone>_id` outputs) <- dev-secrets (reads a subnet)
 * <- dev-platform (a service per zone, reads the subnets and the secrets' key); dev-observability
 * reads nothing.
 *
 * @slow 40 real terraform plans and applies of several stacks, git repositories with a synth each
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { affectedJson, destroysWithoutLabel, main as affectedMain, parseLabels } from '../../../tools/plan/affected';
import { comparePlans, judgeDifferences, differenceLine } from '../../../tools/plan/compare-plans';
import { readPlanJsonFile } from '../../../tools/plan/plan-json';
import { runPlans, type StackPlanResult } from '../../../tools/plan/run-plans';
import { namesOnlyCatalog } from '../../../tools/plan/stack-catalog';
import { StackGraph } from '../../../tools/plan/stack-graph';
import { setupProblem } from '../../../tools/terraform/verify-stacks';
import { planScenario } from './terraform-data-plans';

const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

/** The stacks of the tiny platform, as cdk.tf.json objects; `state` is the folder of their local state files. */
/**
 * `droppedZones`: their subnets are removed with a `removed` block whose destroy-time provisioner
 * refuses while a service of the zone is in dev-platform's state, as AWS refuses to delete a subnet
 * in use (DependencyViolation).
 */
function platformStacks(state: string, options: { zones?: string[]; platformZones?: string[]; rev?: string; serviceSize?: number; droppedZones?: string[] } = {}) {
  const zones = options.zones ?? ['a', 'b'];
  const platformZones = options.platformZones ?? zones;
  const backend = (stack: string) => ({ backend: { local: { path: path.join(state, `${stack}.tfstate`) } } });
  const remote = (stack: string) => ({ backend: 'local', config: { path: path.join(state, `${stack}.tfstate`) } });
  return {
    'dev-network': {
      terraform: backend('dev-network'),
      resource: {
        terraform_data: Object.fromEntries(
          zones.map((zone) => [
            `subnet_${zone}`,
            { input: `subnet-${zone}`, triggers_replace: options.rev ?? '1' },
          ]),
        ),
      },
      output: Object.fromEntries(zones.map((zone) => [`subnet_${zone}_id`, { value: `\${terraform_data.subnet_${zone}.id}` }])),
      ...(options.droppedZones
        ? {
            removed: options.droppedZones.map((zone) => ({
              from: `terraform_data.subnet_${zone}`,
              lifecycle: { destroy: true },
              provisioner: [{ 'local-exec': { when: 'destroy', command: `! grep -q '"service_${zone}"' ${path.join(state, 'dev-platform.tfstate')}` } }],
            })),
          }
        : {}),
    },
    'dev-secrets': {
      terraform: backend('dev-secrets'),
      data: { terraform_remote_state: { network: remote('dev-network') } },
      resource: { terraform_data: { key: { input: { rotation_subnet: '${data.terraform_remote_state.network.outputs.subnet_a_id}' } } } },
      output: { key_id: { value: '${terraform_data.key.id}' } },
    },
    'dev-platform': {
      terraform: backend('dev-platform'),
      data: { terraform_remote_state: { network: remote('dev-network'), secrets: remote('dev-secrets') } },
      resource: {
        terraform_data: Object.fromEntries(
          platformZones.map((zone) => [
            `service_${zone}`,
            {
              input: {
                subnet: `\${data.terraform_remote_state.network.outputs.subnet_${zone}_id}`,
                key: '${data.terraform_remote_state.secrets.outputs.key_id}',
                size: options.serviceSize ?? 1,
              },
            },
          ]),
        ),
      },
    },
    'dev-observability': { terraform: backend('dev-observability'), resource: { terraform_data: { topic: { input: 'alerts' } } } },
  };
}

function writeOutdir(stacks: Record<string, unknown>, outdir = tmp('deps-out-')): string {
  fs.rmSync(path.join(outdir, 'stacks'), { recursive: true, force: true });
  for (const [name, json] of Object.entries(stacks)) {
    fs.mkdirSync(path.join(outdir, 'stacks', name), { recursive: true });
    fs.writeFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), JSON.stringify(json, null, 2));
  }
  return outdir;
}

const emptyCliConfig = path.join(tmp('deps-tfrc-'), 'empty.tfrc');
fs.writeFileSync(emptyCliConfig, '');
/** `terraform apply <planfile>` in a plan's work dir, as apply.yml does; the error text when it fails. */
function applyPlan(result: StackPlanResult): string | undefined {
  try {
    execFileSync('terraform', [`-chdir=${result.workDir}`, 'apply', '-input=false', '-no-color', result.planFile], {
      encoding: 'utf8',
      env: { ...process.env, TF_CLI_CONFIG_FILE: emptyCliConfig, TF_IN_AUTOMATION: '1' },
      stdio: 'pipe',
    });
    return undefined;
  } catch (error) {
    return String((error as { stderr?: string }).stderr ?? error);
  }
}

async function planOk(outdir: string, stacks: string[], plansDir: string, extra: Partial<Parameters<typeof runPlans>[0]> = {}) {
  const results = await runPlans({ stacks, outdir, plansDir, ...extra });
  for (const result of results) expect({ stack: result.stack, ok: result.ok, error: result.error }).toEqual({ stack: result.stack, ok: true, error: undefined });
  return new Map(results.map((result) => [result.stack, result]));
}

/** Plans and applies `stacks` in order, one by one (the state every scenario starts from). */
async function applyAll(outdir: string, stacks: string[]) {
  const plansDir = tmp('deps-initial-');
  for (const stack of stacks) {
    const [result] = await runPlans({ stacks: [stack], outdir, plansDir });
    expect(result.error).toBeUndefined();
    expect(applyPlan(result)).toBeUndefined();
  }
}

describe('the stack graph', () => {
  const graph = new StackGraph(new Map(Object.entries(platformStacks('/state'))) as never);

  it('finds who reads whom and which outputs, from the remote-state reads', () => {
    expect(graph.readersOf('dev-network')).toEqual(['dev-platform', 'dev-secrets']);
    expect(graph.reads.find((read) => read.reader === 'dev-platform' && read.producer === 'dev-network')?.outputs).toEqual(['subnet_a_id', 'subnet_b_id']);
  });

  it('affects readers transitively and puts producers in earlier waves', () => {
    expect([...graph.transitiveReaders(['dev-network'])]).toEqual([
      ['dev-platform', ['dev-network', 'dev-secrets']],
      ['dev-secrets', ['dev-network']],
    ]);
    expect(graph.transitiveReaders(['dev-observability']).size).toBe(0);
    expect(graph.waves(['dev-platform', 'dev-observability', 'dev-secrets', 'dev-network'])).toEqual([
      ['dev-observability', 'dev-network'],
      ['dev-secrets'],
      ['dev-platform'],
    ]);
  });
});

describe('affected in a git repository', () => {
  // A tiny project: tools/synth/cli.ts writes the stacks of stacks.json into --outdir.
  const synthCli = `import * as fs from 'fs';\nimport * as path from 'path';\nconst outdir = process.argv[process.argv.indexOf('--outdir') + 1];
    const stacks = JSON.parse(fs.readFileSync('stacks.json', 'utf8'));
    for (const [name, json] of Object.entries(stacks)) {
      fs.mkdirSync(path.join(outdir, 'stacks', name), { recursive: true });
      fs.writeFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), JSON.stringify(json, null, 2));
    }\n`;
  const repo = tmp('deps-repo-');
  const state = tmp('deps-state-');
  const gitIn = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' });
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    fs.writeFileSync(path.join(repo, file), text);
  };
  gitIn('init', '-q');
  write('tools/synth/cli.ts', synthCli);
  write('package-lock.json', '{"lockfileVersion":3,"packages":{"node_modules/@cdktf/provider-aws":{"version":"20.1.0"}}}\n');
  write('stacks.json', JSON.stringify(platformStacks(state)));
  gitIn('add', '-A');
  gitIn('-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-q', '-m', 'base');

  const affected = async (...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await affectedMain(['--base', 'HEAD', '--root', repo, '--json', ...argv], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
    return { code, json: stdout ? JSON.parse(stdout) : undefined, stderr };
  };
  afterEach(() => gitIn('checkout', '-q', '--', '.'));

  it('plans the readers of a changed producer, transitively, producers first', async () => {
    const changed = platformStacks(state);
    changed['dev-network'].resource.terraform_data.subnet_a.input = 'subnet-a-wider';
    write('stacks.json', JSON.stringify(changed));
    const { code, json, stderr } = await affected();
    expect(code).toBe(0);
    expect(json.include.map((e: { stack: string; change: string; because?: string[] }) => [e.stack, e.change, e.because])).toEqual([
      ['dev-network', 'changed', undefined],
      ['dev-secrets', 'reader', ['dev-network']],
      ['dev-platform', 'reader', ['dev-network', 'dev-secrets']],
    ]);
    expect(json.planWaves).toEqual([['dev-network'], ['dev-secrets'], ['dev-platform']]);
    expect(stderr).toContain('affected: dev-secrets reads the state of dev-network\n');
  });

  it('plans every stack when the lockfile changes (a provider bump), though no stack JSON changes', async () => {
    write('package-lock.json', '{"lockfileVersion":3,"packages":{"node_modules/@cdktf/provider-aws":{"version":"20.2.0"}}}\n');
    const { json, stderr } = await affected();
    expect(json.stacks).toHaveLength(4);
    expect(json.include.every((e: { change: string; because: string[] }) => e.change === 'toolchain' && e.because.includes('package-lock.json'))).toBe(true);
    expect(stderr).toContain('the toolchain changed (package-lock.json): every stack is planned');
  });

  it('plans removed stacks as destroys from the base configuration, reader-first, and refuses them without the environment label', async () => {
    const remaining = platformStacks(state) as Record<string, unknown>;
    delete remaining['dev-platform'];
    delete remaining['dev-secrets'];
    write('stacks.json', JSON.stringify(remaining));
    const removedOutdir = tmp('deps-removed-');
    const refused = await affected('--removed-outdir', removedOutdir, '--labels', '["allow-destroy:prod"]');
    expect(refused.code).toBe(1);
    expect(refused.json.removed).toEqual(['dev-platform', 'dev-secrets']);
    expect(refused.json.include.map((e: { stack: string; change: string }) => `${e.stack} ${e.change}`)).toEqual(['dev-platform removed', 'dev-secrets removed']);
    expect(refused.stderr).toMatch(/affected: destroying dev-platform, dev-secrets needs the pull request label allow-destroy:dev/);
    expect(fs.readdirSync(path.join(removedOutdir, 'stacks')).sort()).toEqual(['dev-platform', 'dev-secrets']);
    expect((await affected('--labels', 'allow-destroy:dev')).code).toBe(0);
  });
});

const canRun = setupProblem() === undefined;
(canRun ? describe : describe.skip)('plans and applies with real Terraform', () => {
  it('a removed stack is planned as a destroy from the base configuration', async () => {
    const state = tmp('deps-state-');
    const base = writeOutdir(platformStacks(state));
    await applyAll(base, ['dev-network', 'dev-secrets', 'dev-platform']);
    const json = affectedJson(
      [
        { stack: 'dev-secrets', change: 'removed' },
        { stack: 'dev-platform', change: 'removed' },
      ],
      namesOnlyCatalog(['dev']),
    );
    expect(json.removed).toEqual(['dev-platform', 'dev-secrets']);
    expect(destroysWithoutLabel(json, namesOnlyCatalog(['dev']), parseLabels('allow-destroy:staging'))).toHaveLength(2);
    const plans = await planOk(base, [...json.removed], tmp('deps-destroy-'), { destroy: true });
    const actions = readPlanJsonFile(plans.get('dev-platform')!.jsonFile).resource_changes!.map((c) => `${c.address} ${c.change.actions.join('+')}`);
    expect(actions).toEqual(['terraform_data.service_a delete', 'terraform_data.service_b delete']);
    for (const stack of json.removed) expect(applyPlan(plans.get(stack)!)).toBeUndefined();
  });

  describe('adding an availability zone in one pull request', () => {
    const state = tmp('deps-state-');
    const base = writeOutdir(platformStacks(state));
    const head = writeOutdir(platformStacks(state, { zones: ['a', 'b', 'c'] }));
    const reviewedDir = tmp('deps-reviewed-');
    let reviewed: Map<string, StackPlanResult>;

    beforeAll(async () => {
      await applyAll(base, ['dev-network', 'dev-secrets', 'dev-platform']);
    });

    it('fails with Unsupported attribute when the reader is planned alone against the real state (the defect)', async () => {
      const [alone] = await runPlans({ stacks: ['dev-platform'], outdir: head, plansDir: tmp('deps-alone-') });
      expect(alone.ok).toBe(false);
      expect(alone.error).toMatch(/Unsupported attribute/);
    });

    it('plans green with the producer planned first, and says which reader values wait for its apply', async () => {
      reviewed = await planOk(head, ['dev-platform', 'dev-network'], reviewedDir);
      expect(reviewed.get('dev-platform')!.waits).toEqual([
        { producer: 'dev-network', reference: 'data.terraform_remote_state.network.outputs.subnet_c_id', kind: 'new', plannedWith: 'placeholder' },
      ]);
      const changes = readPlanJsonFile(reviewed.get('dev-platform')!.jsonFile).resource_changes!.filter((c) => c.change.actions.join() !== 'no-op');
      expect(changes.map((c) => `${c.address} ${c.change.actions.join('+')}`)).toEqual(['terraform_data.service_c create']);
      expect(fs.readFileSync(path.join(reviewedDir, 'dev-platform.waits.json'), 'utf8')).toContain('subnet_c_id');
    });

    it('applies in one go in order: the reader is re-planned after its producer and only the explained differences pass', async () => {
      const freshDir = tmp('deps-fresh-');
      const network = await planOk(head, ['dev-network'], freshDir);
      expect(comparePlans(readPlanJsonFile(reviewed.get('dev-network')!.jsonFile), readPlanJsonFile(network.get('dev-network')!.jsonFile))).toEqual([]);
      expect(applyPlan(network.get('dev-network')!)).toBeUndefined();

      const platform = await planOk(head, ['dev-platform'], freshDir);
      expect(platform.get('dev-platform')!.waits).toBeUndefined();
      const judged = judgeDifferences(readPlanJsonFile(reviewed.get('dev-platform')!.jsonFile), readPlanJsonFile(platform.get('dev-platform')!.jsonFile));
      expect(judged.map((j) => [differenceLine(j.difference), j.accepted])).toEqual([
        ['terraform_data.service_c: planned values differ in input', 'reads data.terraform_remote_state.network.outputs.subnet_c_id, which changed between the plans'],
      ]);

      // Anything else that differs is refused, even beside an explained difference.
      const tampered = writeOutdir(platformStacks(state, { zones: ['a', 'b', 'c'], serviceSize: 2 }));
      const other = await planOk(tampered, ['dev-platform'], tmp('deps-tampered-'));
      const refused = comparePlans(readPlanJsonFile(reviewed.get('dev-platform')!.jsonFile), readPlanJsonFile(other.get('dev-platform')!.jsonFile)).map(differenceLine);
      expect(refused).toEqual(
        expect.arrayContaining(['terraform_data.service_a: configuration differs in input', 'terraform_data.service_a: fresh plan update, not in the reviewed plan']),
      );

      expect(applyPlan(platform.get('dev-platform')!)).toBeUndefined();
      const after = await planOk(head, ['dev-network', 'dev-secrets', 'dev-platform'], tmp('deps-after-'));
      for (const result of after.values()) expect(result.hasChanges).toBe(false);
    });
  });

  it('a producer replaced under its reader: the reader re-planned after the producer passes the gate through the changed output only', async () => {
    const state = tmp('deps-state-');
    await applyAll(writeOutdir(platformStacks(state)), ['dev-network', 'dev-secrets', 'dev-platform']);
    const head = writeOutdir(platformStacks(state, { rev: '2' }));
    const reviewed = await planOk(head, ['dev-network', 'dev-secrets', 'dev-platform'], tmp('deps-reviewed-'));
    expect(reviewed.get('dev-secrets')!.waits).toEqual([
      { producer: 'dev-network', reference: 'data.terraform_remote_state.network.outputs.subnet_a_id', kind: 'changing', plannedWith: 'current' },
    ]);
    const freshDir = tmp('deps-fresh-');
    for (const stack of ['dev-network', 'dev-secrets', 'dev-platform']) {
      const fresh = (await planOk(head, [stack], freshDir)).get(stack)!;
      const differences = comparePlans(readPlanJsonFile(reviewed.get(stack)!.jsonFile), readPlanJsonFile(fresh.jsonFile));
      expect({ stack, differences: differences.map(differenceLine) }).toEqual({ stack, differences: [] });
      expect(applyPlan(fresh)).toBeUndefined();
    }
  });

  it('dropping a zone: deletions go reader-first, then the full plans in apply order, each a part of the reviewed plan', async () => {
    const state = tmp('deps-state-');
    const stacks = ['dev-network', 'dev-secrets', 'dev-platform'];
    await applyAll(writeOutdir(platformStacks(state)), stacks);
    const head = writeOutdir(platformStacks(state, { zones: ['a'], droppedZones: ['b'] }));
    const reviewedDir = tmp('deps-reviewed-');
    const reviewed = await planOk(head, stacks, reviewedDir);
    const reviewedPlans = new Map(stacks.map((stack) => [stack, reviewed.get(stack)!.jsonFile]));

    // Producer-first, the subnet would go while its service still uses it.
    const producerFirst = (await planOk(head, ['dev-network'], tmp('deps-wrong-'))).get('dev-network')!;
    expect(applyPlan(producerFirst)).toMatch(/local-exec provisioner error/);

    const deletionsDir = tmp('deps-deletions-');
    for (const stack of [...stacks].reverse()) {
      const [deletion] = await runPlans({ stacks: [stack], outdir: head, plansDir: deletionsDir, deletionsOf: reviewedPlans });
      expect(deletion.ok).toBe(true);
      if (stack === 'dev-secrets') {
        expect(deletion.hasChanges).toBe(false);
        continue;
      }
      const plan = readPlanJsonFile(deletion.jsonFile);
      expect(plan.resource_changes!.filter((c) => c.change.actions.join() !== 'no-op').map((c) => `${c.address} ${c.change.actions.join('+')}`)).toEqual([
        stack === 'dev-platform' ? 'terraform_data.service_b delete' : 'terraform_data.subnet_b delete',
      ]);
      expect(comparePlans(readPlanJsonFile(reviewedPlans.get(stack)!), plan)).toEqual([]);
      expect(applyPlan(deletion)).toBeUndefined();
    }
    const freshDir = tmp('deps-fresh-');
    for (const stack of stacks) {
      const fresh = (await planOk(head, [stack], freshDir)).get(stack)!;
      expect({ stack, refused: comparePlans(readPlanJsonFile(reviewedPlans.get(stack)!), readPlanJsonFile(fresh.jsonFile)).map(differenceLine) }).toEqual({ stack, refused: [] });
      expect(applyPlan(fresh)).toBeUndefined();
    }
  });

  describe('an apply that fails half-way', () => {
    const flag = path.join(tmp('deps-flag-'), 'ready');
    const stack = (extra = '') => ({
      terraform: { backend: { local: { path: path.join(tmp('deps-state-'), 'resume.tfstate') } } },
      resource: {
        terraform_data: {
          first: { input: 'one' },
          second: { input: 'two', lifecycle: { precondition: [{ condition: `\${fileexists("${flag}") && terraform_data.first.input != ""}`, error_message: 'not ready' }] } },
          third: { input: '${terraform_data.second.id}' },
          ...(extra ? { [extra]: { input: extra } } : {}),
        },
      },
    });

    it('re-runs: a fresh plan that is what is left of the reviewed one passes; anything new fails', async () => {
      fs.writeFileSync(flag, '');
      const config = stack();
      const reviewed = (await planOk(writeOutdir({ 'dev-resume': config }), ['dev-resume'], tmp('deps-reviewed-'))).get('dev-resume')!;
      fs.rmSync(flag);
      expect(applyPlan(reviewed)).toMatch(/not ready/);
      fs.writeFileSync(flag, '');
      const freshOutdir = writeOutdir({ 'dev-resume': config });
      const fresh = (await planOk(freshOutdir, ['dev-resume'], tmp('deps-fresh-'))).get('dev-resume')!;
      const judged = judgeDifferences(readPlanJsonFile(reviewed.jsonFile), readPlanJsonFile(fresh.jsonFile));
      expect(judged.map((j) => `${j.accepted ? 'accepted' : 'refused'}: ${differenceLine(j.difference)}`)).toEqual([
        'accepted: terraform_data.first: reviewed plan create, fresh plan nothing',
      ]);

      const grown = { ...config, resource: { terraform_data: { ...config.resource.terraform_data, extra: { input: 'extra' } } } };
      const more = (await planOk(writeOutdir({ 'dev-resume': grown }), ['dev-resume'], tmp('deps-more-'))).get('dev-resume')!;
      expect(comparePlans(readPlanJsonFile(reviewed.jsonFile), readPlanJsonFile(more.jsonFile)).map(differenceLine)).toEqual([
        'terraform_data.extra: fresh plan create, not in the reviewed plan',
      ]);

      expect(applyPlan(fresh)).toBeUndefined();
    });
  });

  it('a database ingress rule moved from the app group to the ALB group is refused, though the ids are unknown in both plans', async () => {
    const groups = 'resource "terraform_data" "sg_app" {\n  input = "app"\n}\nresource "terraform_data" "sg_alb" {\n  input = "alb"\n}\n';
    const rule = (source: string) => `resource "terraform_data" "db_ingress" {\n  input = { port = 5432, source_security_group_id = terraform_data.${source}.id }\n}\n`;
    const reviewed = (await planScenario({ name: 'sg-app', description: '', applied: [], planned: { mainTf: groups + rule('sg_app') } })) as never;
    const fresh = (await planScenario({ name: 'sg-alb', description: '', applied: [], planned: { mainTf: groups + rule('sg_alb') } })) as never;
    expect(comparePlans(reviewed, fresh).map(differenceLine)).toEqual(['terraform_data.db_ingress: configuration differs in input']);
  });
});
