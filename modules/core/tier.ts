/**
 * Environment tiers. The tier, not the environment name, drives every default that differs
 * between a sandbox and production (NAT per AZ, deletion protection, log retention, ...).
 */
export const TIERS = ['dev', 'staging', 'prod'] as const;
export type Tier = (typeof TIERS)[number];

/** Promotion never goes down a tier: dev -> staging -> prod. */
export function tierRank(tier: Tier): number {
  return TIERS.indexOf(tier);
}

/**
 * A value chosen per tier, written once where a module keeps its defaults:
 * `const RETENTION_DAYS: PerTier<number> = { dev: 30, staging: 90, prod: 365 }`.
 */
export type PerTier<T> = Readonly<Record<Tier, T>>;

export function forTier<T>(table: PerTier<T>, tier: Tier): T {
  return table[tier];
}
