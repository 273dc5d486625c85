/**
 * What CI needs to know about a stack beyond its Terraform: its environment, the GitHub OIDC
 * roles that plan and apply it (from the bootstrap stack's naming), whether it is applied by
 * hand (bootstrap), and the order stacks are applied in: environments shared first, then the
 * promotion chain (dev -> staging -> prod), then any other; inside an environment the layer
 * order of stacks/apply-order.ts.
 */
import type { Platform } from '../../environments/load';
import { applyOrder, environmentApplyOrder } from '../../stacks/apply-order';
import { roleArn } from '../../modules/core/shared-names';
import { ciRoleName, environmentAccountRoles } from '../../stacks/bootstrap-stack';
import { stackName } from '../../stacks/layer-stack';
import { stateReadRoleArn, stateWriteRoleArn } from '../../stacks/state-access';

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
  /** Deploy role ARN -> its read-only twin (same account plan role; a spoke's read-only hub attachment role), for `plan --read-only`. */
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
    // Environments by name, layers in their apply order inside each.
    applyOrder: (stacks) => applyOrder(stacks, [...new Set(stacks.map((stack) => entry(stack).environment))].sort(compare)),
    planRoles: new Map(),
  };
}

/** The catalog of a validated platform: apply order from stacks/apply-order.ts. */
export function platformCatalog(platform: Platform): StackCatalog {
  const names = platform.environments.map((env) => env.name);
  const tooling = platform.organization.accounts.tooling.accountId;
  const bootstrap = stackName(platform.shared.name, BOOTSTRAP_LAYER);
  const order = environmentOrder(platform);
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
  return {
    entry,
    environment,
    applyOrder: (stacks) => applyOrder(stacks, order),
    planRoles: deployRoleToPlanRole(platform),
  };
}

/** Environments in apply order: shared first, then the promotion chain, then any other by name (stacks/apply-order.ts). */
export function environmentOrder(platform: Platform): string[] {
  return environmentApplyOrder(platform);
}

/** The environment of `<env>-<layer>`: the longest known environment name that prefixes it, else the text before the first "-". */
export function environmentOf(stack: string, environmentNames: readonly string[]): string {
  const known = environmentNames.filter((name) => stack.startsWith(`${name}-`)).sort((a, b) => b.length - a.length)[0];
  return known ?? stack.split('-')[0];
}

/**
 * Every role a stack writes with -> its read-only counterpart, for `plan --read-only`: each
 * account's deploy role -> the plan role of the same account, a spoke's hub attachment role -> its
 * read-only twin, each environment's state write role -> the read-only state role (stacks/state-access.ts).
 */
export function deployRoleToPlanRole(platform: Platform): Map<string, string> {
  const roles = new Map<string, string>();
  const state = platform.organization.state;
  for (const env of platform.environments) {
    const { planRoleArns, deployRoleArns } = environmentAccountRoles(env, platform.shared);
    deployRoleArns.forEach((deploy, index) => roles.set(deploy, planRoleArns[index]));
    roles.set(stateWriteRoleArn(state, env.name), stateReadRoleArn(state));
  }
  return roles;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
