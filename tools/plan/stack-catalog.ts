/**
 * What CI needs to know about a stack beyond its Terraform: its environment, the GitHub OIDC
 * roles that plan and apply it (from the bootstrap stack's naming), whether it is applied by
 * hand (bootstrap), and the order stacks are applied in: environments shared first, then the
 * promotion chain (dev -> staging -> prod), then any other; inside an environment the order in
 * which stacks/platform-app.ts builds them (its documented apply order).
 */
import { App } from 'cdktf';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Platform } from '../../environments/load';
import { PlanToolError } from './cli-support';
import { roleArn } from '../../modules/core/shared-names';
import { ciRoleName, environmentAccountRoles } from '../../stacks/bootstrap-stack';
import { stackName } from '../../stacks/layer-stack';

/** The layer applied once by hand with local state (README, "Bootstrap"); CI plans it, never applies it. */
export const BOOTSTRAP_LAYER = 'bootstrap';

/** One stack as the CI matrix sees it. */
export interface StackEntry {
  readonly stack: string;
  readonly environment: string;
  /** The environment's region (CI's AWS credentials). @default - unknown: no platform config */
  readonly region?: string;
  /** OIDC role of the plan job (read-only). @default - unknown: no platform config */
  readonly planRoleArn?: string;
  /** OIDC role of the apply job. @default - unknown: no platform config */
  readonly applyRoleArn?: string;
  /** True for the bootstrap stack: apply.yml leaves it out. */
  readonly appliedByHand: boolean;
}

/** What CI needs of an environment: region and OIDC roles (unset without a platform config). */
export type EnvironmentEntry = Pick<StackEntry, 'region' | 'planRoleArn' | 'applyRoleArn'>;

export interface StackCatalog {
  entry(stack: string): StackEntry;
  environment(name: string): EnvironmentEntry;
  /** `stacks` sorted in apply order (environment order, then layer order, then name). */
  applyOrder(stacks: readonly string[]): string[];
  /** Deploy role ARN -> read-only plan role ARN of the same account, for `plan --read-only`. */
  readonly planRoles: ReadonlyMap<string, string>;
}

/** A catalog from stack names alone (`<env>-<layer>`): no roles, environments and stacks by name. */
export function namesOnlyCatalog(environmentNames: readonly string[] = []): StackCatalog {
  const entry = (stack: string): StackEntry => {
    const environment = environmentOf(stack, environmentNames);
    return { stack, environment, appliedByHand: stack === stackName(environment, BOOTSTRAP_LAYER) };
  };
  return {
    entry,
    environment: () => ({}),
    applyOrder: (stacks) => [...stacks].sort((a, b) => compare(entry(a).environment, entry(b).environment) || compare(a, b)),
    planRoles: new Map(),
  };
}

/**
 * The catalog of a validated platform. `stackOrder` is every stack in build order
 * (@default - built in memory with stacks/platform-app.ts, nothing written).
 */
export function platformCatalog(platform: Platform, stackOrder: readonly string[] = buildOrder(platform)): StackCatalog {
  const names = platform.environments.map((env) => env.name);
  const tooling = platform.organization.accounts.tooling.accountId;
  const bootstrap = stackName(platform.shared.name, BOOTSTRAP_LAYER);
  const environmentRank = new Map(
    [platform.shared.name, ...platform.promotionChain.map((env) => env.name), ...[...names].sort()]
      .filter((name, index, all) => all.indexOf(name) === index)
      .map((name, index) => [name, index]),
  );
  const stackRank = new Map(stackOrder.map((stack, index) => [stack, index]));
  const environment = (name: string): EnvironmentEntry =>
    names.includes(name)
      ? {
          region: platform.environment(name).region,
          planRoleArn: roleArn(tooling, ciRoleName('plan', name)),
          applyRoleArn: roleArn(tooling, ciRoleName('apply', name)),
        }
      : {};
  const entry = (stack: string): StackEntry => {
    const name = environmentOf(stack, names);
    return { stack, environment: name, ...environment(name), appliedByHand: stack === bootstrap };
  };
  const rank = (map: ReadonlyMap<string, number>, key: string) => map.get(key) ?? Number.MAX_SAFE_INTEGER;
  return {
    entry,
    environment,
    applyOrder: (stacks) =>
      [...stacks].sort(
        (a, b) =>
          rank(environmentRank, entry(a).environment) - rank(environmentRank, entry(b).environment) ||
          rank(stackRank, a) - rank(stackRank, b) ||
          compare(a, b),
      ),
    planRoles: deployRoleToPlanRole(platform),
  };
}

/** The environment of `<env>-<layer>`: the longest known environment name that prefixes it, else the text before the first "-". */
export function environmentOf(stack: string, environmentNames: readonly string[]): string {
  const known = environmentNames.filter((name) => stack.startsWith(`${name}-`)).sort((a, b) => b.length - a.length)[0];
  return known ?? stack.split('-')[0];
}

/** Deploy role ARN -> the read-only plan role of the same account, for every account of the platform. */
export function deployRoleToPlanRole(platform: Platform): Map<string, string> {
  const roles = new Map<string, string>();
  for (const env of platform.environments) {
    const { planRoleArns, deployRoleArns } = environmentAccountRoles(env);
    deployRoleArns.forEach((deploy, index) => roles.set(deploy, planRoleArns[index]));
  }
  return roles;
}

/** Every stack of the platform in the order stacks/platform-app.ts builds (and documents applying) them. */
export function buildOrder(platform: Platform): string[] {
  // Imported here, not at the top: building the stacks loads every provider class, which only this needs.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildPlatform } = require('../../stacks/platform-app') as typeof import('../../stacks/platform-app');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-order-'));
  try {
    return buildPlatform(new App({ outdir: scratch }), platform).all.map((stack) => stack.node.id);
  } catch (error) {
    throw new PlanToolError(`building the stacks (for their apply order) failed: ${(error as Error).message.split('\n')[0]}`);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
