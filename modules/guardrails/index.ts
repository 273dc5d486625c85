/**
 * Guardrails: security and compliance rules checked at synth time (cdk-nag style).
 *
 * Every stack of buildPlatform gets the pack (`applyGuardrails(stack)`); `npm run synth` fails
 * on any error finding, prints warnings and suppressions, and ends with a compliance summary
 * per stack. The rules are one file each under `rules/`; tier invariants in tier-invariants.ts.
 *
 * SUPPRESSING A RULE (for other modules): when a rule genuinely cannot be met, suppress it on
 * the construct (it covers the construct's children too) with the reason, at least
 * MIN_SUPPRESSION_REASON_LENGTH characters; the reason is printed at every synth:
 *
 *   import { suppress } from '../guardrails';
 *   suppress(albLogs, 'PLAT-TIER-6', 'ELB access log delivery writes only to SSE-S3 buckets');
 *   suppress(secret, 'PLAT-SM-2', 'third-party API key, rotated by the vendor portal (owner: payments team)');
 *
 * A security group of an internet-facing ALB that lives in another stack than the ALB is
 * recognised by the tag PUBLIC_ALB_SECURITY_GROUP_TAG (`exposure = public-alb`).
 */
export { applyGuardrails, checkStack, collectGuardrailReports, guardrailReport, GuardrailPack, type GuardrailPackProps } from './pack';
export { suppress, suppressionsOn, type Suppression } from './suppressions';
export {
  errorsOf,
  formatComplianceSummary,
  formatFinding,
  formatSuppressions,
  GuardrailError,
  warningsOf,
  type Finding,
  type StackReport,
  type SuppressionEntry,
} from './report';
export { COMPLIANT, NOT_APPLICABLE, defineRule, everyTier, problems } from './rule';
export type { GuardrailRule, ProviderView, ResourceView, RuleContext, RuleLevel, RuleResult, Severity, StackView } from './rule';
export { ALL_RULES } from './rules';
export { TIER_INVARIANTS, type TierInvariants } from './tier-invariants';
export {
  MIN_SUPPRESSION_REASON_LENGTH,
  MODERN_TLS_POLICIES,
  PUBLIC_ALB_SECURITY_GROUP_TAG,
  RECOMMENDED_TLS_POLICY,
  SUPPRESSION_RULE_ID,
} from './defaults';
