/**
 * `promote --status`: for each environment of the chain, the commit deployed to it (tag
 * `deployed/<env>`, moved by the apply workflow), its pinned values, and what is waiting in the
 * environment before it: pins that differ, and the commits on the protected branch since the
 * deployed commit that touch the previous environment's config or the platform code. Then the
 * environments outside the chain (shared, a sandbox), marked as such: deployed commit, pins and
 * the commits waiting in their own config or the code.
 */
import * as path from 'path';
import type { Platform } from '../../environments/load';
import type { EnvironmentConfig } from '../../environments/schema';
import { previousInChain } from './chain';
import { PromoteError } from './errors';
import { commitsBetween, deployedTag, describeCommit, GitError, repositoryRoot, resolveCommit, type Commit } from './git';
import { sameLeaf, valueAt, type Path } from './paths';
import { pinnedValues, type PinnedValue, type PinValue } from './pins';
import type { PromotableField } from './promotable-fields';

/** A commit waiting for an environment, and why it counts. */
export interface WaitingCommit extends Commit {
  /** `config` (touches the previous environment's directory), `code`, or both. */
  readonly touches: readonly ('config' | 'code')[];
}

export interface WaitingPin {
  readonly path: Path;
  /** Value in the previous environment. */
  readonly waiting: PinValue;
  /** Value in this environment; undefined when unset. */
  readonly current: PinValue | undefined;
}

export interface EnvironmentStatus {
  readonly environment: string;
  /** False for an environment outside the promotion chain (shared, a sandbox): nothing is promoted into it. */
  readonly inChain: boolean;
  /** The environment changes come from; undefined for the start of the chain. */
  readonly previous?: string;
  /** Undefined when the environment was never deployed (no tag). */
  readonly deployed?: Commit;
  readonly pins: readonly PinnedValue[];
  readonly waitingPins: readonly WaitingPin[];
  /** Undefined when never deployed: everything is waiting. */
  readonly waitingCommits?: readonly WaitingCommit[];
}

export interface StatusReport {
  /** The branch commits are counted on (the organization's protected branch). */
  readonly branch: string;
  readonly environments: readonly EnvironmentStatus[];
}

export function statusReport(platform: Platform, environmentsDir: string, fields: readonly PromotableField[]): StatusReport {
  let root: string;
  try {
    root = repositoryRoot(environmentsDir);
  } catch (error) {
    if (error instanceof GitError) throw new PromoteError(`cannot read deployment tags: ${environmentsDir} is not in a git repository (${error.message})`);
    throw error;
  }
  const configured = platform.organization.github.protectedBranch;
  const branch = resolveCommit(root, configured) ? configured : 'HEAD';
  const environmentsPath = path.relative(root, path.resolve(environmentsDir)).split(path.sep).join('/');
  const envDirs = platform.environments.map((env) => `${environmentsPath ? `${environmentsPath}/` : ''}${env.name}/`);

  const outsideChain = platform.environments.filter((env) => !platform.promotionChain.includes(env));
  const environments = [...platform.promotionChain, ...outsideChain].map((env): EnvironmentStatus => {
    const inChain = platform.promotionChain.includes(env);
    const previous = inChain ? previousInChain(platform, env) : undefined;
    const deployedSha = resolveCommit(root, `refs/tags/${deployedTag(env.name)}`);
    const pins = pinnedValues(env, fields);
    const waitingPins = previous ? differingPins(previous, env, fields) : [];
    const watched = `${environmentsPath ? `${environmentsPath}/` : ''}${(previous ?? env).name}/`;
    const classify = (commit: Commit): WaitingCommit => {
      const touches: ('config' | 'code')[] = [];
      if (commit.files.some((file) => file.startsWith(watched))) touches.push('config');
      if (commit.files.some((file) => !envDirs.some((dir) => file.startsWith(dir)))) touches.push('code');
      return { ...commit, touches };
    };
    return {
      environment: env.name,
      inChain,
      previous: previous?.name,
      deployed: deployedSha ? describeCommit(root, deployedSha) : undefined,
      pins,
      waitingPins,
      waitingCommits: deployedSha ? commitsBetween(root, deployedSha, branch).map(classify).filter((commit) => commit.touches.length > 0) : undefined,
    };
  });
  return { branch, environments };
}

function differingPins(previous: EnvironmentConfig, env: EnvironmentConfig, fields: readonly PromotableField[]): WaitingPin[] {
  return pinnedValues(previous, fields)
    .filter((pin) => !sameLeaf(valueAt(env, pin.path), pin.value))
    .map((pin) => ({ path: pin.path, waiting: pin.value, current: valueAt(env, pin.path) as PinValue | undefined }));
}
