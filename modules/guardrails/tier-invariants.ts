/**
 * Environment invariants by tier, as code. Each invariant is a rule under `rules/tier-*.ts`
 * whose level per tier comes from this table: prod enforces all of them as errors, staging
 * warns where dev is free, dev keeps only what protects every environment.
 *
 * A violation names the environment, the setting and the rule:
 *   ERROR PLAT-TIER-2 prod-platform/alb (aws_lb.alb): prod (tier prod) requires
 *   loadBalancerDeletionProtection: enable_deletion_protection is not true
 */
import type { PerTier } from '../core/tier';
import type { RuleLevel } from './rule';

export interface TierInvariants {
  /** A NAT gateway in every zone the VPC has subnets in (no cross-zone egress, no single point of failure). */
  readonly natPerAz: RuleLevel;
  /** `enable_deletion_protection` on every load balancer. */
  readonly loadBalancerDeletionProtection: RuleLevel;
  /** Log groups keep logs at least `days` (0, never expire, also satisfies it). */
  readonly logRetention: { readonly level: RuleLevel; readonly minDays: number };
  /** ECS services roll back a failing deployment (deployment circuit breaker with rollback). */
  readonly deploymentCircuitBreaker: RuleLevel;
  /** ECS Exec (`enable_execute_command`) off: no shell into running tasks. */
  readonly ecsExecOff: RuleLevel;
  /** Data at rest under a KMS key everywhere (S3 SSE-KMS, ECR KMS, SQS, EBS, RDS, DynamoDB, EFS). */
  readonly kmsEverywhere: RuleLevel;
}

export const TIER_INVARIANTS: PerTier<TierInvariants> = {
  dev: {
    natPerAz: 'off',
    loadBalancerDeletionProtection: 'off',
    logRetention: { level: 'error', minDays: 7 },
    deploymentCircuitBreaker: 'warning',
    ecsExecOff: 'off',
    kmsEverywhere: 'off',
  },
  staging: {
    natPerAz: 'off',
    loadBalancerDeletionProtection: 'warning',
    logRetention: { level: 'error', minDays: 30 },
    deploymentCircuitBreaker: 'error',
    ecsExecOff: 'warning',
    kmsEverywhere: 'warning',
  },
  prod: {
    natPerAz: 'error',
    loadBalancerDeletionProtection: 'error',
    logRetention: { level: 'error', minDays: 365 },
    deploymentCircuitBreaker: 'error',
    ecsExecOff: 'error',
    kmsEverywhere: 'error',
  },
};

/** The level of one invariant in every tier, for a rule's `level`. */
export function invariantLevel(pick: (invariants: TierInvariants) => RuleLevel): PerTier<RuleLevel> {
  return { dev: pick(TIER_INVARIANTS.dev), staging: pick(TIER_INVARIANTS.staging), prod: pick(TIER_INVARIANTS.prod) };
}

/** `prod (tier prod) requires natPerAz` — the start of every invariant problem. */
export function invariantPrefix(environment: { readonly name: string; readonly tier: string }, setting: keyof TierInvariants): string {
  return `${environment.name} (tier ${environment.tier}) requires ${setting}`;
}
