/**
 * What an environment has to catch up on: apply.yml compares the commit being applied with the
 * environment's `deployed/<env>` tag (the commit it last applied completely), not with the push's
 * `before`. A run that GitHub cancelled (a newer push queued in the same concurrency group) or
 * that failed half-way leaves the tag where it was, so the next run finds that run's stacks again.
 *
 * `npm run --silent affected -- --base deployed/dev --environment dev --if-base-missing all`:
 * the stacks of `dev` whose Terraform differs from the tag; every stack of `dev` when the tag does
 * not exist yet (a new environment's first apply).
 */
import { spawnSync } from 'child_process';
import { PlanToolError } from './cli-support';
import type { AffectedStack } from './affected';
import type { StackCatalog } from './stack-catalog';

/** Prefix of the tag that marks the commit an environment runs. */
export const DEPLOYED_TAG_PREFIX = 'deployed/';

/** The tag naming the commit `environment` last applied completely. */
export function deployedTag(environment: string): string {
  return `${DEPLOYED_TAG_PREFIX}${environment}`;
}

/** What `affected` does when `--base` names no commit. */
export const IF_BASE_MISSING = ['fail', 'all'] as const;
export type IfBaseMissing = (typeof IF_BASE_MISSING)[number];

/** Checks `--if-base-missing`; a one-line error naming the allowed values. */
export function parseIfBaseMissing(value: string): IfBaseMissing {
  if ((IF_BASE_MISSING as readonly string[]).includes(value)) return value as IfBaseMissing;
  throw new PlanToolError(`--if-base-missing "${value}" is not allowed; use ${IF_BASE_MISSING.join(' or ')}`);
}

/** True when `ref` names a commit of the repository at `root`. */
export function refExists(root: string, ref: string): boolean {
  return spawnSync('git', ['-C', root, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { encoding: 'utf8' }).status === 0;
}

/**
 * Only the stacks of `environment`; a one-line error when the environment is unknown (a typo in a
 * workflow must not turn into "nothing to apply").
 */
export function stacksOfEnvironment(
  stacks: readonly AffectedStack[],
  environment: string,
  catalog: StackCatalog,
  knownEnvironments: readonly string[],
): AffectedStack[] {
  if (!knownEnvironments.includes(environment)) {
    throw new PlanToolError(
      `--environment "${environment}" is not an environment of this repository; environments/ holds ${[...knownEnvironments].sort().join(', ')}`,
    );
  }
  return stacks.filter((stack) => catalog.entry(stack.stack).environment === environment);
}
