import { readFileSync } from 'node:fs';
import { DEFAULT_GITHUB_API_URL, ENV } from './constants';
import { errors } from './errors';

/** Where to post: read from the environment GitHub Actions sets. */
export interface GitHubContext {
  token: string;
  owner: string;
  repo: string;
  pullNumber: number;
  /** @default DEFAULT_GITHUB_API_URL, or GITHUB_API_URL when set */
  apiUrl: string;
}

type Env = Readonly<Record<string, string | undefined>>;

function parsePullNumber(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number <= 0) throw errors.badPrNumber(value);
  return number;
}

function pullNumberFromEvent(eventPath: string): number | undefined {
  let event: unknown;
  try {
    event = JSON.parse(readFileSync(eventPath, 'utf8'));
  } catch {
    return undefined;
  }
  const payload = event as { pull_request?: { number?: unknown }; issue?: { number?: unknown }; number?: unknown };
  const number = payload.pull_request?.number ?? payload.issue?.number ?? payload.number;
  return typeof number === 'number' ? parsePullNumber(String(number)) : undefined;
}

/**
 * Reads token, repository, pull request number and API URL from the environment: GITHUB_TOKEN,
 * GITHUB_REPOSITORY ("owner/repo"), PR_NUMBER or the GITHUB_EVENT_PATH payload, GITHUB_API_URL.
 * @throws PlanCommentError naming the missing or malformed variable
 */
export function readGitHubContext(env: Env): GitHubContext {
  const token = env[ENV.token];
  if (!token) throw errors.missingToken();
  const repository = env[ENV.repository];
  if (!repository) throw errors.missingEnv(ENV.repository, 'set it to "owner/repo"');
  const [owner, repo, ...rest] = repository.split('/');
  if (!owner || !repo || rest.length > 0) throw errors.badRepository(repository);
  const fromEnv = env[ENV.prNumber];
  const pullNumber = fromEnv
    ? parsePullNumber(fromEnv)
    : env[ENV.eventPath]
      ? pullNumberFromEvent(env[ENV.eventPath] as string)
      : undefined;
  if (pullNumber === undefined) throw errors.missingPrNumber();
  return { token, owner, repo, pullNumber, apiUrl: env[ENV.apiUrl] || DEFAULT_GITHUB_API_URL };
}

/** Link to the current workflow run, when the environment says which one it is. */
export function workflowRunUrl(env: Env): string | undefined {
  const server = env[ENV.serverUrl];
  const repository = env[ENV.repository];
  const runId = env[ENV.runId];
  return server && repository && runId ? `${server}/${repository}/actions/runs/${runId}` : undefined;
}
