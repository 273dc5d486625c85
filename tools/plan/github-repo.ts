/**
 * The repository-level GitHub context of the CI tools that are not about one pull request's
 * comment (drift issues, the apply gate): token, owner/repo and API URL from the variables
 * GitHub Actions sets, and an Octokit client for them.
 */
import { Octokit } from '@octokit/rest';
import { DEFAULT_GITHUB_API_URL, ENV } from './constants';
import { PlanToolError } from './cli-support';

export interface RepoContext {
  readonly token: string;
  readonly owner: string;
  readonly repo: string;
  readonly apiUrl: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** @throws PlanToolError naming the missing or malformed variable */
export function readRepoContext(env: Env): RepoContext {
  const token = env[ENV.token];
  if (!token) throw new PlanToolError(`${ENV.token} is not set; the tool reads and writes the repository through the GitHub API`);
  const repository = env[ENV.repository] ?? '';
  const [owner, repo, ...rest] = repository.split('/');
  if (!owner || !repo || rest.length > 0) throw new PlanToolError(`${ENV.repository} "${repository}" is not "owner/repo"; set it like "my-org/my-repo"`);
  return { token, owner, repo, apiUrl: env[ENV.apiUrl] || DEFAULT_GITHUB_API_URL };
}

export function octokitFor(context: RepoContext): Octokit {
  return new Octokit({ auth: context.token, baseUrl: context.apiUrl });
}

/** One line saying why a GitHub request failed. */
export function requestFailed(what: string, error: unknown): PlanToolError {
  const status = (error as { status?: number }).status;
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return new PlanToolError(`GitHub API request to ${what} failed (${status ? `HTTP ${status}: ` : ''}${message}); check the token's permissions and the repository`);
}
