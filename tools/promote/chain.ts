/** Where two environments sit in the promotion chain, and whether promoting between them is one step. */
import type { Platform } from '../../environments/load';
import type { EnvironmentConfig } from '../../environments/schema';
import { errors } from './errors';

export interface StepOptions {
  /** Allow skipping environments or going backwards. @default false */
  readonly force?: boolean;
  /** Why the chain is not followed; required with `force`. */
  readonly reason?: string;
}

export interface PromotionStep {
  readonly from: EnvironmentConfig;
  readonly to: EnvironmentConfig;
  /** Set when `--force` let the promotion leave the chain: the reason and the environments skipped. */
  readonly forced?: { readonly reason: string; readonly skipped: readonly string[] };
}

export function chainNames(platform: Platform): string[] {
  return platform.promotionChain.map((env) => env.name);
}

/** The environment of the chain named `name`; throws PromoteError for an unknown name or one outside the chain. */
export function chainEnvironment(platform: Platform, name: string): EnvironmentConfig {
  const chain = chainNames(platform);
  const env = platform.environments.find((candidate) => candidate.name === name);
  if (!env) throw errors.unknownEnvironment(name, chain, platform.environments.map((candidate) => candidate.name));
  if (!chain.includes(name)) throw errors.outsideChain(name, chain);
  return env;
}

/** The environment before `env` in the chain, if any. */
export function previousInChain(platform: Platform, env: EnvironmentConfig): EnvironmentConfig | undefined {
  const index = platform.promotionChain.findIndex((candidate) => candidate.name === env.name);
  return index > 0 ? platform.promotionChain[index - 1] : undefined;
}

export function resolveStep(platform: Platform, fromName: string, toName: string, options: StepOptions = {}): PromotionStep {
  const from = chainEnvironment(platform, fromName);
  const to = chainEnvironment(platform, toName);
  if (from.name === to.name) throw errors.sameEnvironment(from.name);
  const reason = options.reason?.trim();
  if (options.force && !reason) throw errors.forceWithoutReason();
  if (!options.force && options.reason !== undefined) throw errors.reasonWithoutForce();

  const chain = chainNames(platform);
  const fromIndex = chain.indexOf(from.name);
  const toIndex = chain.indexOf(to.name);
  if (toIndex === fromIndex + 1) return { from, to };
  if (toIndex > fromIndex) {
    const skipped = chain.slice(fromIndex + 1, toIndex);
    if (!options.force) throw errors.skipsStep(from.name, to.name, skipped);
    return { from, to, forced: { reason: reason!, skipped } };
  }
  if (!options.force) throw errors.backwards(from.name, to.name, chain);
  return { from, to, forced: { reason: reason!, skipped: [] } };
}
