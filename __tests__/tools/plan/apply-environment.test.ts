/**
 * apply-environment.yml's own shell steps, run as GitHub runs them (`bash -e`, one step after the
 * other, later steps skipped after a failure) in a git repository built here, with npm and
 * terraform replaced by recorders: a cancelled run in between, a stack failing half-way, a re-run.
 * The stacks come from the real `affected --base deployed/<env>`.
 *
 * @slow 8 real git repository, a synth per compared tree, bash
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main as affected } from '../../../tools/plan/affected';
import { stacksRepo } from './stacks-repo';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = require('js-yaml') as { load(text: string): unknown };

type Step = { name?: string; run?: string; if?: string };
const WORKFLOW = path.join(__dirname, '..', '..', '..', '.github', 'workflows', 'apply-environment.yml');
const steps = (yaml.load(fs.readFileSync(WORKFLOW, 'utf8')) as { jobs: { apply: { steps: Step[] } } }).jobs.apply.steps;
const stepRun = (prefix: string) => {
  const step = steps.find((candidate) => candidate.name?.startsWith(prefix));
  if (!step?.run) throw new Error(`apply-environment.yml has no step "${prefix}..."`);
  return step;
};
const APPLY_STEP = stepRun('Re-plan, check, apply');
const TAG_STEP = stepRun('Tag the deployed commit');

const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

describe('apply-environment.yml with a cancelled run and a failure half-way', () => {
  const origin = tmp('apply-origin-');
  const bin = tmp('apply-bin-');
  const log = path.join(bin, 'calls.log');
  const { root: repo, git, merge } = stacksRepo(
    {
      'dev-network': { resource: { aws_vpc: { vpc: { cidr_block: '10.1.0.0/16' } } } },
      'dev-secrets': { resource: { aws_kms_key: { key: { description: 'v1' } } } },
      'dev-platform': { resource: { aws_ecs_cluster: { cluster: { name: 'dev' } } } },
    },
    ['dev'],
    { '.gitignore': '.plans/\nreviewed/\n' },
  );
  // Recorders: `npm run --silent <tool> -- ...` and `terraform -chdir=.plans/work/<stack> apply ...`.
  fs.writeFileSync(
    path.join(bin, 'npm'),
    `#!/bin/bash\nset -e\ntool=$3; stack=$5; [ "$tool" = plan ] || exit 0\nmkdir -p ".plans/work/$stack"; echo '{}' > ".plans/$stack.json"; echo plan > ".plans/$stack.tfplan"\necho "plan $stack" >> "${log}"\n`,
    { mode: 0o755 },
  );
  fs.writeFileSync(
    path.join(bin, 'terraform'),
    `#!/bin/bash\nstack=$(basename "\${1#-chdir=}")\nif [ "$stack" = "$FAIL_STACK" ]; then echo "apply $stack FAILED" >> "${log}"; exit 1; fi\necho "apply $stack" >> "${log}"\n`,
    { mode: 0o755 },
  );

  /** The stacks the run's affected step lists for dev (the real tool, as the workflow calls it). */
  const affectedStacks = async () => {
    let stdout = '';
    const code = await affected(['--base', 'deployed/dev', '--environment', 'dev', '--if-base-missing', 'all', '--root', repo, '--json'], {
      stdout: (t) => (stdout += t),
      stderr: () => undefined,
    });
    expect(code).toBe(0);
    return (JSON.parse(stdout) as { apply: Record<string, string[]> }).apply.dev ?? [];
  };

  /** One run of the job at `commit`: the apply step, then the tag step only when the apply step succeeded (GitHub's default). */
  const runJob = async (commit: string, failStack = '') => {
    git('checkout', '-q', '--detach', commit);
    fs.rmSync(path.join(repo, '.plans'), { recursive: true, force: true });
    fs.rmSync(log, { force: true });
    const reviewed = path.join(repo, 'reviewed');
    fs.mkdirSync(reviewed, { recursive: true });
    const stacksToApply = await affectedStacks();
    for (const stack of stacksToApply) fs.writeFileSync(path.join(reviewed, `${stack}.json`), '{}');
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, STACKS: stacksToApply.join(' '), LABELS: '[]', ENVIRONMENT: 'dev', GITHUB_SHA: commit, FAIL_STACK: failStack };
    const bash = (script: string) => spawnSync('bash', ['-e', '-c', script], { cwd: repo, env, encoding: 'utf8' });
    const applied = bash(APPLY_STEP.run!);
    const tagged = applied.status === 0 ? bash(TAG_STEP.run!) : undefined;
    return {
      stacks: stacksToApply,
      ok: applied.status === 0 && tagged?.status === 0,
      calls: fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : [],
    };
  };
  const deployed = () => execFileSync('git', ['-C', origin, 'rev-parse', 'refs/tags/deployed/dev'], { encoding: 'utf8' }).trim();

  execFileSync('git', ['init', '-q', '--bare', origin]);
  git('remote', 'add', 'origin', origin);
  const first = merge('A: first');

  it('applies every stack of a never-deployed environment, then tags it', async () => {
    const run = await runJob(first);
    expect(run.ok).toBe(true);
    // Layer order (stacks/apply-order.ts), also without a platform config: platform reads secrets' state.
    expect(run.calls.filter((call) => call.startsWith('apply'))).toEqual(['apply dev-network', 'apply dev-secrets', 'apply dev-platform']);
    expect(deployed()).toBe(first);
  });

  it('catches up a cancelled run, stops at a failing stack without moving the tag, and a re-run finishes and tags', async () => {
    merge('B: network', 'dev-network', { resource: { aws_vpc: { vpc: { cidr_block: '10.1.0.0/17' } } } });
    // B's run is cancelled by C's push: it never runs.
    const c = merge('C: platform', 'dev-platform', { resource: { aws_ecs_cluster: { cluster: { name: 'dev-2' } } } });

    const failed = await runJob(c, 'dev-network');
    expect(failed.stacks).toEqual(['dev-network', 'dev-platform']); // B's stack too, though C's push changed dev-platform only
    expect(failed.ok).toBe(false);
    expect(failed.calls).toEqual(['plan dev-network', 'apply dev-network FAILED']); // stops at the failure
    expect(deployed()).toBe(first); // the tag stays: the next run finds both stacks again

    const rerun = await runJob(c);
    expect(rerun.stacks).toEqual(['dev-network', 'dev-platform']);
    expect(rerun.ok).toBe(true);
    expect(rerun.calls.filter((call) => call.startsWith('apply'))).toEqual(['apply dev-network', 'apply dev-platform']);
    expect(deployed()).toBe(c);
    expect(await affectedStacks()).toEqual([]);
  });

  it('refuses a stack without a reviewed plan before planning anything', async () => {
    const d = merge('D: secrets', 'dev-secrets', { resource: { aws_kms_key: { key: { description: 'v2' } } } });
    git('checkout', '-q', '--detach', d);
    fs.rmSync(path.join(repo, 'reviewed'), { recursive: true, force: true });
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, STACKS: 'dev-secrets', LABELS: '[]', ENVIRONMENT: 'dev', GITHUB_SHA: d };
    fs.rmSync(log, { force: true });
    const run = spawnSync('bash', ['-e', '-c', APPLY_STEP.run!], { cwd: repo, env, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("::error::dev-secrets has no reviewed plan at its pull request's head");
    expect(fs.existsSync(log)).toBe(false);
  });
});
