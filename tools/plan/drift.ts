/**
 * Drift issues of the scheduled drift check (.github/workflows/drift.yml): one open issue per
 * drifting stack, titled `Drift: <stack>` and labelled `drift`.
 *
 * - `drift scope <stack>`: whether CI checks the stack at all. A stack whose state is local (the
 *   bootstrap stack before its state is migrated, README "Bootstrap") is not: CI has no copy of
 *   that state, so every plan would show the whole stack as new, every day.
 * - `drift report <stack> --exit-code <n> --plan <plan.json>`: the outcome of
 *   `terraform plan -detailed-exitcode`. 2 opens the stack's issue or updates it, 0 closes it;
 *   anything else (the plan failed, or did not run) says nothing about drift, so no issue is
 *   opened or closed, and the command fails.
 * - `drift close-removed`: closes the open drift issues of stacks that are no longer checked
 *   (removed from the configuration, or with local state).
 * - `drift subscriptions <stack> --exit-code <n> --report <pending.md>`: the outcome of
 *   `pending-subscriptions` over the same plan. 2 opens or updates the issue
 *   `Unconfirmed subscriptions: <stack>` (label `unconfirmed-subscriptions`) with the report, 0
 *   closes it; anything else fails and touches no issue.
 *
 * GitHub: GITHUB_TOKEN, GITHUB_REPOSITORY, optional GITHUB_API_URL; the run link from
 * GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command } from 'commander';
import type { Octokit } from '@octokit/rest';
import { PROCESS_IO, PlanToolError, runTool, type ToolIo } from './cli-support';
import { workflowRunUrl } from './github-context';
import { octokitFor, readRepoContext, requestFailed, type RepoContext } from './github-repo';
import { main as planComment } from './plan-comment';

export const DRIFT_LABEL = 'drift';
export const DRIFT_LABEL_COLOR = 'D93F0B';
export const driftTitle = (stack: string): string => `Drift: ${stack}`;
const TITLE = /^Drift: (\S+)$/;

/** One kind of per-stack issue the drift check keeps: its label and its title. */
export interface StackIssueKind {
  readonly label: string;
  readonly color: string;
  readonly description: string;
  title(stack: string): string;
}

/** `Drift: <stack>`, labelled `drift`. */
export const DRIFT_ISSUES: StackIssueKind = { label: DRIFT_LABEL, color: DRIFT_LABEL_COLOR, description: 'Infrastructure differs from main', title: driftTitle };

/** `Unconfirmed subscriptions: <stack>`, labelled `unconfirmed-subscriptions` (tools/plan/pending-subscriptions.ts). */
export const SUBSCRIPTION_ISSUES: StackIssueKind = {
  label: 'unconfirmed-subscriptions',
  color: 'FBCA04',
  description: 'Alert subscriptions nobody confirmed',
  title: (stack) => `Unconfirmed subscriptions: ${stack}`,
};

export type DriftOutcome = 'drift' | 'clean' | 'failed';

/** `terraform plan -detailed-exitcode`: 0 no changes, 2 changes, anything else (or nothing) a failure. */
export function outcomeOf(exitCode: string | undefined): DriftOutcome {
  const code = (exitCode ?? '').trim();
  return code === '0' ? 'clean' : code === '2' ? 'drift' : 'failed';
}

/** Why CI does not check a synthesized stack for drift, or undefined when it does. */
export function notCheckedBecause(stackJson: { terraform?: { backend?: Record<string, unknown> } }): string | undefined {
  const backends = Object.keys(stackJson.terraform?.backend ?? {});
  if (backends.length === 0 || backends.includes('local')) {
    return 'its state is local (the bootstrap stack until its state is migrated, README "Bootstrap"), so CI cannot read it';
  }
  return undefined;
}

function readStack(outdir: string, stack: string): { terraform?: { backend?: Record<string, unknown> } } {
  const file = path.join(outdir, 'stacks', stack, 'cdk.tf.json');
  if (!fs.existsSync(file)) throw new PlanToolError(`no synthesized stack ${stack} in ${outdir}; run npm run synth first`);
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** The stacks of a synth output that CI checks, and those it does not (with the reason). */
export function driftScope(outdir: string): { checked: string[]; notChecked: Map<string, string> } {
  const dir = path.join(outdir, 'stacks');
  if (!fs.existsSync(dir)) throw new PlanToolError(`${outdir} holds no synthesized stacks; run npm run synth first`);
  const checked: string[] = [];
  const notChecked = new Map<string, string>();
  for (const stack of fs.readdirSync(dir).sort()) {
    if (!fs.existsSync(path.join(dir, stack, 'cdk.tf.json'))) continue;
    const reason = notCheckedBecause(readStack(outdir, stack));
    if (reason) notChecked.set(stack, reason);
    else checked.push(stack);
  }
  return { checked, notChecked };
}

interface DriftIssue {
  readonly number: number;
  readonly title: string;
}

/** The per-stack issues API the tool needs, over Octokit (drift issues unless another kind is given). */
export class DriftIssues {
  private readonly octokit: Octokit;
  private readonly target: { owner: string; repo: string };

  constructor(
    context: RepoContext,
    private readonly kind: StackIssueKind = DRIFT_ISSUES,
  ) {
    this.octokit = octokitFor(context);
    this.target = { owner: context.owner, repo: context.repo };
  }

  async open(): Promise<DriftIssue[]> {
    try {
      const issues = await this.octokit.paginate(this.octokit.rest.issues.listForRepo, { ...this.target, state: 'open', labels: this.kind.label, per_page: 100 });
      return issues.filter((issue) => !('pull_request' in issue && issue.pull_request)).map((issue) => ({ number: issue.number, title: issue.title }));
    } catch (error) {
      throw requestFailed(`list the open ${this.kind.label} issues`, error);
    }
  }

  async openFor(stack: string): Promise<DriftIssue | undefined> {
    return (await this.open()).find((issue) => issue.title === this.kind.title(stack));
  }

  async create(stack: string, body: string): Promise<number> {
    try {
      await this.ensureLabel();
      const created = await this.octokit.rest.issues.create({ ...this.target, title: this.kind.title(stack), labels: [this.kind.label], body });
      return created.data.number;
    } catch (error) {
      throw requestFailed(`open the issue "${this.kind.title(stack)}"`, error);
    }
  }

  async update(issue: DriftIssue, body: string, comment: string): Promise<void> {
    try {
      await this.octokit.rest.issues.update({ ...this.target, issue_number: issue.number, body });
      await this.octokit.rest.issues.createComment({ ...this.target, issue_number: issue.number, body: comment });
    } catch (error) {
      throw requestFailed(`update issue #${issue.number}`, error);
    }
  }

  async close(issue: DriftIssue, comment: string): Promise<void> {
    try {
      await this.octokit.rest.issues.createComment({ ...this.target, issue_number: issue.number, body: comment });
      await this.octokit.rest.issues.update({ ...this.target, issue_number: issue.number, state: 'closed', state_reason: 'completed' });
    } catch (error) {
      throw requestFailed(`close issue #${issue.number}`, error);
    }
  }

  private async ensureLabel(): Promise<void> {
    try {
      await this.octokit.rest.issues.getLabel({ ...this.target, name: this.kind.label });
    } catch (error) {
      if ((error as { status?: number }).status !== 404) throw error;
      await this.octokit.rest.issues.createLabel({ ...this.target, name: this.kind.label, color: this.kind.color, description: this.kind.description });
    }
  }
}

/** What `report` did, one line. */
export async function reportDrift(issues: DriftIssues, stack: string, outcome: DriftOutcome, body: () => Promise<string>, runUrl = 'the drift run'): Promise<string> {
  if (outcome === 'failed') {
    throw new PlanToolError(`the plan of ${stack} failed, so whether it drifts is unknown: no drift issue opened or closed; see the plan log of ${runUrl}`);
  }
  const existing = await issues.openFor(stack);
  if (outcome === 'clean') {
    if (!existing) return `${stack}: no drift, no open issue`;
    await issues.close(existing, `No drift any more: ${runUrl}`);
    return `${stack}: no drift, closed #${existing.number}`;
  }
  const text = `${await body()}\nFound by the scheduled drift check: ${runUrl}\n`;
  if (existing) {
    await issues.update(existing, text, `Still drifting: ${runUrl}`);
    return `${stack}: drifts, updated #${existing.number}`;
  }
  return `${stack}: drifts, opened #${await issues.create(stack, text)}`;
}

/** What `subscriptions` did, one line: `pending-subscriptions` exit code 2 opens or updates the stack's issue, 0 closes it. */
export async function reportSubscriptions(issues: DriftIssues, stack: string, exitCode: string, report: () => string, runUrl = 'the drift run'): Promise<string> {
  const code = exitCode.trim();
  if (code !== '0' && code !== '2') {
    throw new PlanToolError(`pending-subscriptions of ${stack} exited ${code || 'without a code'} (0: all confirmed, 2: some pending): no subscriptions issue opened or closed`);
  }
  const existing = await issues.openFor(stack);
  if (code === '0') {
    if (!existing) return `${stack}: every subscription confirmed, no open issue`;
    await issues.close(existing, `Every subscription is confirmed: ${runUrl}`);
    return `${stack}: every subscription confirmed, closed #${existing.number}`;
  }
  const text = `${report().trimEnd()}\n\nFound by the scheduled drift check: ${runUrl}\n`;
  if (existing) {
    await issues.update(existing, text, `Still unconfirmed: ${runUrl}`);
    return `${stack}: subscriptions pending, updated #${existing.number}`;
  }
  return `${stack}: subscriptions pending, opened #${await issues.create(stack, text)}`;
}

/** Closes the drift issues of stacks that are not checked any more; one line per closed issue. */
export async function closeUnchecked(issues: DriftIssues, checked: readonly string[], notChecked: ReadonlyMap<string, string>, runUrl = 'the drift run'): Promise<string[]> {
  const done: string[] = [];
  for (const issue of await issues.open()) {
    const stack = TITLE.exec(issue.title)?.[1];
    if (!stack || checked.includes(stack)) continue;
    const why = notChecked.get(stack) ?? 'the stack is no longer in the configuration (removed)';
    await issues.close(issue, `Closed: ${stack} is not checked for drift any more: ${why}. ${runUrl}`);
    done.push(`${stack}: closed #${issue.number} (${notChecked.has(stack) ? 'not checked' : 'removed'})`);
  }
  return done;
}

async function planBody(stack: string, planFile: string): Promise<string> {
  let out = '';
  let err = '';
  const code = await planComment(['--plan', `${stack}=${planFile}`, '--artifact-name', `drift-${stack}`], { stdout: (t: string) => (out += t), stderr: (t: string) => (err += t) });
  if (code !== 0) throw new PlanToolError(`cannot render the plan of ${stack} for its drift issue: ${err.trim()}`);
  return out;
}

export async function main(argv: readonly string[], io: ToolIo = PROCESS_IO, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return runTool('drift', io, async () => {
    const program = new Command('drift').description('Drift issues of the scheduled drift check').exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
    program
      .command('scope <stack>')
      .description('whether CI checks the stack for drift (`checked=true|false` with --github-output)')
      .option('--outdir <dir>', 'synth output', 'cdktf.out')
      .option('--github-output <file>', 'append checked=<bool> and reason=<text>')
      .action((stack: string, options: { outdir: string; githubOutput?: string }) => {
        const reason = notCheckedBecause(readStack(options.outdir, stack));
        if (options.githubOutput) fs.appendFileSync(options.githubOutput, `checked=${!reason}\nreason=${reason ?? ''}\n`);
        io.stdout(reason ? `${stack}: not checked for drift: ${reason}\n` : `${stack}: checked for drift\n`);
      });
    program
      .command('report <stack>')
      .description('open, update or close the drift issue of a stack from its plan')
      .requiredOption('--exit-code <n>', 'exit code of terraform plan -detailed-exitcode (empty when the plan did not run)')
      .option('--plan <file>', 'the plan JSON (needed when it drifts)')
      .action(async (stack: string, options: { exitCode: string; plan?: string }) => {
        const outcome = outcomeOf(options.exitCode);
        if (outcome === 'drift' && !options.plan) throw new PlanToolError(`${stack} drifts but no --plan was given to describe it`);
        const issues = new DriftIssues(readRepoContext(env));
        io.stdout(`${await reportDrift(issues, stack, outcome, () => planBody(stack, options.plan!), workflowRunUrl(env))}\n`);
      });
    program
      .command('close-removed')
      .description('close the drift issues of stacks that are no longer checked')
      .option('--outdir <dir>', 'synth output', 'cdktf.out')
      .action(async (options: { outdir: string }) => {
        const { checked, notChecked } = driftScope(options.outdir);
        const lines = await closeUnchecked(new DriftIssues(readRepoContext(env)), checked, notChecked, workflowRunUrl(env));
        io.stdout(lines.length ? `${lines.join('\n')}\n` : 'no drift issue of an unchecked stack\n');
      });
    program
      .command('subscriptions <stack>')
      .description('open, update or close the "Unconfirmed subscriptions" issue of a stack from pending-subscriptions')
      .requiredOption('--exit-code <n>', 'exit code of pending-subscriptions (0 all confirmed, 2 some pending)')
      .requiredOption('--report <file>', 'the markdown pending-subscriptions printed')
      .action(async (stack: string, options: { exitCode: string; report: string }) => {
        const issues = new DriftIssues(readRepoContext(env), SUBSCRIPTION_ISSUES);
        const report = () => {
          try {
            return fs.readFileSync(options.report, 'utf8');
          } catch (error) {
            throw new PlanToolError(`cannot read --report ${options.report}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
          }
        };
        io.stdout(`${await reportSubscriptions(issues, stack, options.exitCode, report, workflowRunUrl(env))}\n`);
      });
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  });
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
