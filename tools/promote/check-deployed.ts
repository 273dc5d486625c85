/**
 * `promote --check-deployed [--base <ref>]` (CI, on pull requests): every pinned value of an
 * environment of the chain was deployed in the environment before it, that is equals that
 * environment's pin at its `deployed/<previous>` tag. With `--base`, only the pins the pull
 * request changes are checked (a value deployed in the previous environment long ago, and
 * replaced there since, stays valid where it already is); without it, every pin.
 *
 * The start of the chain has no previous environment and is not checked. A previous
 * environment without a tag deployed nothing, so every checked pin of the next one fails.
 */
import type { Platform } from '../../environments/load';
import type { EnvironmentConfig } from '../../environments/schema';
import { previousInChain } from './chain';
import { environmentAt } from './deployed';
import { PromoteError } from './errors';
import { deployedTag, GitError, repositoryRoot, resolveCommit } from './git';
import { formatLeaf, formatPath, pathKey, sameLeaf, valueAt } from './paths';
import { pinnedValues, type PinnedValue } from './pins';
import type { PromotableField } from './promotable-fields';

export interface UndeployedPin {
  readonly environment: string;
  readonly previous: string;
  readonly pin: PinnedValue;
  /** The previous environment's deployed value; undefined when it pins nothing there or has no tag. */
  readonly deployedValue?: unknown;
  /** Why it fails, one line. */
  readonly problem: string;
}

export interface DeployedCheck {
  /** Pins checked, over all environments. */
  readonly checked: number;
  readonly undeployed: readonly UndeployedPin[];
}

function rootOf(environmentsDir: string): string {
  try {
    return repositoryRoot(environmentsDir);
  } catch (error) {
    if (error instanceof GitError) throw new PromoteError(`cannot read deployment tags: ${environmentsDir} is not in a git repository (${error.message})`);
    throw error;
  }
}

/** `env`'s config at `sha`, or undefined when it did not exist there. */
function environmentAtOrNone(environmentsDir: string, env: string, sha: string): EnvironmentConfig | undefined {
  try {
    return environmentAt(environmentsDir, env, sha);
  } catch (error) {
    if (error instanceof PromoteError && /does not exist at/.test(error.message)) return undefined;
    throw error;
  }
}

export function checkDeployedPins(platform: Platform, environmentsDir: string, fields: readonly PromotableField[], base?: string): DeployedCheck {
  const root = rootOf(environmentsDir);
  const baseSha = base === undefined ? undefined : resolveCommit(root, base);
  if (base !== undefined && !baseSha) throw new PromoteError(`--base ${base} is no commit of the repository (fetch it first: git fetch origin ${base})`);
  const undeployed: UndeployedPin[] = [];
  let checked = 0;
  for (const env of platform.promotionChain) {
    const previous = previousInChain(platform, env);
    if (!previous) continue;
    const before = baseSha ? environmentAtOrNone(environmentsDir, env.name, baseSha) : undefined;
    const pins = pinnedValues(env, fields).filter((pin) => !before || !sameLeaf(valueAt(before, pin.path), pin.value));
    if (pins.length === 0) continue;
    checked += pins.length;
    const tag = deployedTag(previous.name);
    const deployedSha = resolveCommit(root, `refs/tags/${tag}`);
    const deployed = deployedSha ? environmentAt(environmentsDir, previous.name, deployedSha) : undefined;
    for (const pin of pins) {
      if (!deployed) {
        undeployed.push({ environment: env.name, previous: previous.name, pin, problem: `${tag} does not exist: ${previous.name} has deployed nothing` });
        continue;
      }
      const deployedValue = valueAt(deployed, pin.path);
      if (sameLeaf(deployedValue, pin.value)) continue;
      undeployed.push({
        environment: env.name,
        previous: previous.name,
        pin,
        deployedValue,
        problem: `${previous.name} runs ${formatLeaf(deployedValue)} (${tag} = ${deployedSha!.slice(0, 7)})`,
      });
    }
  }
  undeployed.sort((a, b) => a.environment.localeCompare(b.environment) || pathKey(a.pin.path).localeCompare(pathKey(b.pin.path)));
  return { checked, undeployed };
}

export function renderDeployedCheck(check: DeployedCheck, base?: string): string {
  const scope = base ? `changed since ${base}` : 'pinned';
  if (check.undeployed.length === 0) {
    return `${check.checked} value(s) ${scope}: each was deployed in the environment before it.`;
  }
  return [
    `${check.undeployed.length} of ${check.checked} value(s) ${scope} were not deployed in the environment before:`,
    ...check.undeployed.map(
      (u) => `  environments/${u.environment}/config.ts: ${formatPath(u.pin.path)} = ${formatLeaf(u.pin.value)}, but ${u.problem}; promote with \`npm run promote -- ${u.previous} ${u.environment}\` after deploying ${u.previous}`,
    ),
  ].join('\n');
}
