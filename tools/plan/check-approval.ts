/**
 * check-approval: the apply gate's question "was this commit reviewed?", answered from GitHub,
 * not from the existence of a plan. The pushed commit must be the merge commit of a pull request
 * that was merged into the protected branch, and that pull request must have been approved on
 * its final head commit (an approval of an earlier commit does not cover what was pushed after
 * it), with no reviewer's latest review requesting changes.
 *
 * `npm run --silent check-approval -- --sha <commit> [--branch main] [--min-approvals 1]
 *  [--github-output <file>]`: exit 1 with one line saying what is missing. On success it writes
 * `pr`, `head-sha` and `labels` (JSON list) to the GitHub output, for the apply jobs (the
 * protected-destroy labels and the reviewed plan run of the head commit).
 *
 * GitHub: GITHUB_TOKEN (pull-requests: read), GITHUB_REPOSITORY, optional GITHUB_API_URL.
 */
import { appendFileSync } from 'node:fs';
import { Command } from 'commander';
import { PROCESS_IO, PlanToolError, runTool, type ToolIo } from './cli-support';
import { octokitFor, readRepoContext, requestFailed, type RepoContext } from './github-repo';

/** Approvals a pull request needs, unless `--min-approvals` says otherwise. */
export const DEFAULT_MIN_APPROVALS = 1;

export interface Approval {
  readonly pr: number;
  readonly headSha: string;
  readonly labels: readonly string[];
  /** Logins whose latest review approves the head commit. */
  readonly approvedBy: readonly string[];
}

interface Review {
  readonly user: { login: string } | null;
  readonly state: string;
  readonly commit_id: string | null;
}

/** Each reviewer's latest review that counts (comments do not replace an approval or a change request). */
export function latestReviews(reviews: readonly Review[]): Map<string, Review> {
  const latest = new Map<string, Review>();
  for (const review of reviews) {
    if (!review.user || review.state === 'COMMENTED' || review.state === 'PENDING') continue;
    latest.set(review.user.login, review);
  }
  return latest;
}

export async function checkApproval(context: RepoContext, sha: string, branch: string, minApprovals = DEFAULT_MIN_APPROVALS): Promise<Approval> {
  const octokit = octokitFor(context);
  const target = { owner: context.owner, repo: context.repo };
  let pulls;
  try {
    pulls = (await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ ...target, commit_sha: sha })).data;
  } catch (error) {
    throw requestFailed(`list the pull requests of ${sha}`, error);
  }
  const merged = pulls.filter((pull) => pull.merged_at && pull.base.ref === branch && pull.merge_commit_sha === sha);
  if (merged.length === 0) {
    const seen = pulls.map((pull) => `#${pull.number} (${pull.merged_at ? `merged into ${pull.base.ref} as ${String(pull.merge_commit_sha).slice(0, 7)}` : pull.state})`);
    throw new PlanToolError(
      `${sha.slice(0, 7)} is not the merge commit of a pull request merged into ${branch}${seen.length ? `; its pull requests: ${seen.join(', ')}` : ': it belongs to no pull request (pushed directly?)'}; nothing was reviewed, so nothing is applied`,
    );
  }
  const pull = merged[0];
  let reviews: Review[];
  try {
    reviews = await octokit.paginate(octokit.rest.pulls.listReviews, { ...target, pull_number: pull.number, per_page: 100 });
  } catch (error) {
    throw requestFailed(`list the reviews of pull request #${pull.number}`, error);
  }
  const latest = latestReviews(reviews);
  const blocking = [...latest.entries()].filter(([, review]) => review.state === 'CHANGES_REQUESTED').map(([login]) => login);
  if (blocking.length > 0) throw new PlanToolError(`pull request #${pull.number} was merged with changes requested by ${blocking.join(', ')}; nothing is applied`);
  const headSha = pull.head.sha;
  const approvedBy = [...latest.entries()].filter(([, review]) => review.state === 'APPROVED' && review.commit_id === headSha).map(([login]) => login).sort();
  if (approvedBy.length < minApprovals) {
    const stale = [...latest.entries()].filter(([, review]) => review.state === 'APPROVED' && review.commit_id !== headSha).map(([login]) => login);
    throw new PlanToolError(
      `pull request #${pull.number} has ${approvedBy.length} approval(s) of its head ${headSha.slice(0, 7)}, ${minApprovals} needed` +
        (stale.length ? ` (${stale.join(', ')} approved an earlier commit)` : '') +
        '; nothing is applied',
    );
  }
  return { pr: pull.number, headSha, labels: pull.labels.map((label) => (typeof label === 'string' ? label : (label.name ?? ''))).filter(Boolean), approvedBy };
}

export async function main(argv: readonly string[], io: ToolIo = PROCESS_IO, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return runTool('check-approval', io, async () => {
    const options = new Command('check-approval')
      .description('Fail unless the commit is the merge of an approved pull request into the protected branch')
      .requiredOption('--sha <commit>', 'the pushed commit (GITHUB_SHA)')
      .option('--branch <name>', 'the protected branch', 'main')
      .option('--min-approvals <n>', 'approvals of the head commit needed', String(DEFAULT_MIN_APPROVALS))
      .option('--github-output <file>', 'append pr, head-sha and labels')
      .exitOverride()
      .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
      .parse([...argv], { from: 'user' })
      .opts<{ sha: string; branch: string; minApprovals: string; githubOutput?: string }>();
    const min = Number(options.minApprovals);
    if (!Number.isInteger(min) || min < 1) throw new PlanToolError(`--min-approvals ${options.minApprovals} is not a whole number >= 1`);
    if (!/^[0-9a-f]{7,40}$/.test(options.sha)) throw new PlanToolError(`--sha "${options.sha}" is not a commit sha`);
    const approval = await checkApproval(readRepoContext(env), options.sha, options.branch, min);
    if (options.githubOutput) {
      appendFileSync(options.githubOutput, `pr=${approval.pr}\nhead-sha=${approval.headSha}\nlabels=${JSON.stringify(approval.labels)}\n`);
    }
    io.stdout(`pull request #${approval.pr} merged into ${options.branch} as ${options.sha.slice(0, 7)}, head ${approval.headSha.slice(0, 7)} approved by ${approval.approvedBy.join(', ')}\n`);
    return 0;
  });
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
