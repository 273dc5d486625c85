import { Octokit } from '@octokit/rest';
import { COMMENT_MARKER } from './constants';
import { errors } from './errors';
import type { GitHubContext } from './github-context';

/** What posting did. */
export interface PostResult {
  action: 'created' | 'updated';
  commentId: number;
}

function describeFailure(error: unknown): string {
  const status = (error as { status?: number }).status;
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return status ? `HTTP ${status}: ${message}` : message;
}

/**
 * Creates the pull request's sticky plan comment, or replaces the body of the one with the hidden
 * marker: the comment always shows the latest run alone, never sections left from earlier runs.
 */
export async function postStickyComment(context: GitHubContext, body: string): Promise<PostResult> {
  const octokit = new Octokit({ auth: context.token, baseUrl: context.apiUrl });
  const target = { owner: context.owner, repo: context.repo };
  let comments: { id: number; body?: string | null }[];
  try {
    comments = await octokit.paginate(octokit.rest.issues.listComments, {
      ...target,
      issue_number: context.pullNumber,
      per_page: 100,
    });
  } catch (error) {
    throw errors.githubRequestFailed(`list comments of pull request #${context.pullNumber}`, describeFailure(error));
  }
  const existing = comments.find((comment) => comment.body?.includes(COMMENT_MARKER));
  try {
    if (existing) {
      await octokit.rest.issues.updateComment({ ...target, comment_id: existing.id, body });
      return { action: 'updated', commentId: existing.id };
    }
    const created = await octokit.rest.issues.createComment({ ...target, issue_number: context.pullNumber, body });
    return { action: 'created', commentId: created.data.id };
  } catch (error) {
    const what = existing ? `update comment ${existing.id}` : `create a comment on pull request #${context.pullNumber}`;
    throw errors.githubRequestFailed(what, describeFailure(error));
  }
}
