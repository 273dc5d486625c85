/**
 * Suppressions, as cdk-nag's NagSuppressions.addResourceSuppressions: a construct (and every
 * construct below it) is exempt from one rule, for a written reason. Suppressions are listed
 * in the synth report; one without a reason (shorter than MIN_SUPPRESSION_REASON_LENGTH) or
 * naming an unknown rule is itself an error finding, and suppresses nothing.
 *
 *   suppress(albLogsBucket, 'PLAT-TIER-6', 'ELB access log delivery supports only SSE-S3 buckets');
 */
import type { IConstruct } from 'constructs';

export interface Suppression {
  readonly ruleId: string;
  readonly reason: string;
}

const SUPPRESSIONS = Symbol.for('platform.guardrails.suppressions');

type Suppressible = IConstruct & { [SUPPRESSIONS]?: Suppression[] };

/** Exempts `scope` and its children from rule `ruleId`; `reason` says why (it is printed at every synth). */
export function suppress(scope: IConstruct, ruleId: string, reason: string): void {
  const target = scope as Suppressible;
  if (!Object.prototype.hasOwnProperty.call(target, SUPPRESSIONS)) {
    Object.defineProperty(target, SUPPRESSIONS, { value: [], enumerable: false });
  }
  target[SUPPRESSIONS]!.push({ ruleId, reason: reason ?? '' });
}

/** The suppressions set on `scope` itself (not its parents). */
export function suppressionsOn(scope: IConstruct): readonly Suppression[] {
  return (scope as Suppressible)[SUPPRESSIONS] ?? [];
}
