/** The few git facts promotion needs, read with the git CLI (never changes git state). */
import { execFileSync } from 'child_process';
import * as path from 'path';

export interface Commit {
  readonly sha: string;
  readonly short: string;
  /** Committer date, YYYY-MM-DD. */
  readonly date: string;
  readonly subject: string;
  /** Paths relative to the repository root. */
  readonly files: readonly string[];
}

/** The tag the apply workflow moves to the commit it deployed to an environment. */
export const deployedTag = (env: string) => `deployed/${env}`;

export class GitError extends Error {
  override readonly name = 'GitError';
}

export function git(cwd: string, args: readonly string[]): string {
  try {
    return execFileSync('git', [...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim().split('\n')[0];
    throw new GitError(stderr || (error as Error).message.split('\n')[0]);
  }
}

export function repositoryRoot(dir: string): string {
  return git(dir, ['rev-parse', '--show-toplevel']).trim();
}

/** `git status --porcelain` of one file: empty when it has no uncommitted changes. */
export function fileStatus(file: string): string {
  return git(path.dirname(file), ['status', '--porcelain', '--', path.basename(file)]);
}

/** The commit a ref points at, or undefined when the ref does not exist. */
export function resolveCommit(root: string, ref: string): string | undefined {
  try {
    return git(root, ['rev-parse', '-q', '--verify', `${ref}^{commit}`]).trim() || undefined;
  } catch {
    return undefined;
  }
}

const FIELD = '\u001f';
const RECORD = '\u001e';

/** Commits reachable from `to` and not from `from` (all of `to` when `from` is undefined), newest first, with the files each touches. */
export function commitsBetween(root: string, from: string | undefined, to: string): Commit[] {
  const range = from ? `${from}..${to}` : to;
  const out = git(root, ['log', '--no-renames', `--format=${RECORD}%H${FIELD}%h${FIELD}%cs${FIELD}%s`, '--name-only', range]);
  return out
    .split(RECORD)
    .filter((chunk) => chunk.trim() !== '')
    .map((chunk) => {
      const [header, ...rest] = chunk.split('\n');
      const [sha, short, date, subject] = header.split(FIELD);
      return { sha, short, date, subject, files: rest.map((line) => line.trim()).filter(Boolean) };
    });
}

export function describeCommit(root: string, sha: string): Commit {
  const [header] = git(root, ['log', '-1', `--format=%H${FIELD}%h${FIELD}%cs${FIELD}%s`, sha]).split('\n');
  const [full, short, date, subject] = header.split(FIELD);
  return { sha: full, short, date, subject, files: [] };
}
