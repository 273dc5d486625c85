/**
 * What an environment runs: its config at the commit tagged `deployed/<env>` (moved by apply.yml
 * after every apply), read from git, never from the working tree. Promotion takes its pins from
 * there, so an uncommitted or not yet deployed value of the source never moves on.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CONFIG_FILE, loadPlatform } from '../../environments/load';
import { copyEnvironmentsDir } from '../../environments/files';
import type { EnvironmentConfig } from '../../environments/schema';
import { ConfigError, formatIssue } from '../../modules/core/config-issue';
import { errors } from './errors';
import { commitsBetween, deployedTag, fileStatus, git, GitError, repositoryRoot, resolveCommit } from './git';

/** Where the pins of a promotion's source come from. */
export interface DeployedConfig {
  /** The source environment's config as deployed (or, forced without a tag, as in the working tree). */
  readonly config: EnvironmentConfig;
  /** `deployed/<env>`, or `working tree` when forced without a tag. */
  readonly ref: string;
  /** The deployed commit; undefined when read from the working tree. */
  readonly sha?: string;
  /** What the reader should know: local changes not promoted, a missing tag overridden. */
  readonly warnings: readonly string[];
}

export interface DeployedOptions {
  /** Read the working tree when the tag is missing (needs a reason). @default false */
  readonly force?: boolean;
  readonly reason?: string;
}

/** The config file's path relative to the repository root, with forward slashes. */
function repoPath(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

/** The text of `environments/<env>/config.ts` at `sha`; throws PromoteError when it did not exist there. */
function configTextAt(root: string, sha: string, file: string, env: string): string {
  try {
    return git(root, ['show', `${sha}:${repoPath(root, file)}`]);
  } catch (error) {
    if (error instanceof GitError) throw errors.notInDeployed(env, sha.slice(0, 7));
    throw error;
  }
}

/**
 * `env`'s config at `sha`, validated with the other environments as they are in `environmentsDir`
 * (the schema and cross-environment checks of this checkout).
 */
export function environmentAt(environmentsDir: string, env: string, sha: string): EnvironmentConfig {
  const root = repositoryRoot(environmentsDir);
  const file = path.join(path.resolve(environmentsDir), env, CONFIG_FILE);
  const text = configTextAt(root, sha, file, env);
  const scratch = copyEnvironmentsDir(environmentsDir, 'promote-deployed-');
  try {
    fs.mkdirSync(path.join(scratch, env), { recursive: true });
    fs.writeFileSync(path.join(scratch, env, CONFIG_FILE), text);
    return loadPlatform(scratch).environment(env);
  } catch (error) {
    if (error instanceof ConfigError) throw errors.deployedConfigInvalid(env, sha.slice(0, 7), error.issues.map(formatIssue).join('; '));
    throw error;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** The config `env` runs, from its `deployed/<env>` tag; refuses without the tag unless forced with a reason. */
export function deployedConfig(environmentsDir: string, working: EnvironmentConfig, options: DeployedOptions = {}): DeployedConfig {
  const env = working.name;
  const tag = deployedTag(env);
  let root: string;
  try {
    root = repositoryRoot(environmentsDir);
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    if (!options.force) throw errors.notInGitForDeployed(env, error.message);
    return { config: working, ref: 'working tree', warnings: [`${environmentsDir} is not in a git repository: promoting ${env}'s working tree (forced: ${options.reason})`] };
  }
  const sha = resolveCommit(root, `refs/tags/${tag}`);
  if (!sha) {
    if (!options.force) throw errors.neverDeployed(env);
    return { config: working, ref: 'working tree', warnings: [`${tag} does not exist: promoting ${env}'s working tree, which was never deployed (forced: ${options.reason})`] };
  }
  const file = path.join(path.resolve(environmentsDir), env, CONFIG_FILE);
  const config = environmentAt(environmentsDir, env, sha);
  const warnings: string[] = [];
  const deployedText = configTextAt(root, sha, file, env);
  if (fs.readFileSync(file, 'utf8') !== deployedText) {
    const reasons: string[] = [];
    if (fileStatus(file).trim() !== '') reasons.push('uncommitted changes');
    const undeployed = commitsBetween(root, sha, 'HEAD').filter((commit) => commit.files.includes(repoPath(root, file))).length;
    if (undeployed > 0) reasons.push(`${undeployed} commit(s) not deployed to ${env} yet`);
    warnings.push(
      `environments/${env}/${CONFIG_FILE} differs from what ${env} runs (${tag} = ${sha.slice(0, 7)})${reasons.length ? `: ${reasons.join(', ')}` : ''}; ` +
        `promoting the deployed values, not the local ones`,
    );
  }
  return { config, ref: tag, sha, warnings };
}
