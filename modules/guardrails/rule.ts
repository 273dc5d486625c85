/**
 * What a guardrail rule is: a pure function from one resource (its Terraform type, address,
 * construct path and RESOLVED attributes, plus a read-only view of the other resources of the
 * same stack) to compliant / non-compliant / not applicable. One rule per file under `rules/`,
 * named after its file, with an id such as `PLAT-S3-1`.
 */
import type { EnvironmentConfig } from '../../environments/schema';
import type { PerTier, Tier } from '../core/tier';

/** How a non-compliant resource is reported: errors fail the synth, warnings are printed. */
export type Severity = 'error' | 'warning';
/** A rule's level in one tier; `off` skips the rule in that tier. */
export type RuleLevel = Severity | 'off';

/** One managed resource (or data source) of the synthesized stack, attributes resolved. */
export interface ResourceView {
  /** `resource` for managed resources, `data` for data sources. */
  readonly mode: 'resource' | 'data';
  /** Terraform type, `aws_s3_bucket`. */
  readonly type: string;
  /** Terraform name, `logs_bucket`. */
  readonly name: string;
  /** Terraform address, `aws_s3_bucket.logs_bucket` (`data.` prefixed for data sources). */
  readonly address: string;
  /** Construct path, `dev-network/vpc/flow_logs`. */
  readonly path: string;
  /**
   * Attributes as written to cdk.tf.json: snake_case keys, references as `${type.name.attr}`
   * strings, nested blocks as objects or arrays of objects. Never mutate.
   */
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** An `aws` provider configuration of the stack. */
export interface ProviderView {
  /** `aws` for the default provider, `aws.<alias>` otherwise: what resources name in `provider`. */
  readonly key: string;
  /** The `default_tags` the provider applies to every taggable resource it manages. */
  readonly defaultTags: Readonly<Record<string, string>>;
}

/** The other resources of the same stack, read-only. */
export interface StackView {
  /** Stack name, `dev-network`. */
  readonly name: string;
  /** The environment the stack belongs to (its tier drives the tier invariants). */
  readonly environment: EnvironmentConfig;
  readonly tier: Tier;
  /** Every managed resource of the stack. */
  readonly resources: readonly ResourceView[];
  /** Managed resources of one type. */
  resourcesOfType(type: string): readonly ResourceView[];
  /** A managed resource or data source by address (`aws_vpc.main`, `data.aws_iam_policy_document.x`). */
  byAddress(address: string): ResourceView | undefined;
  /** The aws provider configurations, by key (`aws`, `aws.hub`). */
  readonly providers: ReadonlyMap<string, ProviderView>;
  /**
   * Resources of `type` whose `attribute` points at `target`: a reference to any of its
   * attributes (`${aws_s3_bucket.logs.id}`), or its literal value of one of `literalAttributes`
   * (a bucket policy naming the bucket by its literal `bucket`).
   */
  referencing(type: string, attribute: string, target: ResourceView, literalAttributes?: readonly string[]): readonly ResourceView[];
}

/** What a rule sees besides the resource. */
export interface RuleContext {
  readonly stack: StackView;
}

export type RuleResult =
  | { readonly status: 'compliant' }
  | { readonly status: 'not-applicable' }
  | { readonly status: 'non-compliant'; readonly problems: readonly string[] };

export interface GuardrailRule {
  /** Stable id, `PLAT-<AREA>-<n>`: what suppressions and findings name. */
  readonly id: string;
  /** The rule's file name under `rules/`, without extension. */
  readonly name: string;
  /** One line: what a compliant resource looks like. */
  readonly info: string;
  /** Why the rule exists. */
  readonly explanation: string;
  /** How to comply (printed with every finding). */
  readonly fix: string;
  /** Level per tier. */
  readonly level: PerTier<RuleLevel>;
  /** Terraform types the pack dispatches to this rule. */
  readonly resourceTypes: readonly string[] | 'taggable';
  evaluate(resource: ResourceView, context: RuleContext): RuleResult;
}

export const COMPLIANT: RuleResult = { status: 'compliant' };
export const NOT_APPLICABLE: RuleResult = { status: 'not-applicable' };

/** Non-compliant with the given problems; compliant when there are none. */
export function problems(...found: readonly (string | undefined | false)[]): RuleResult {
  const list = found.filter((problem): problem is string => typeof problem === 'string' && problem.length > 0);
  return list.length === 0 ? COMPLIANT : { status: 'non-compliant', problems: list };
}

/** The same level in every tier. */
export function everyTier(level: RuleLevel): PerTier<RuleLevel> {
  return { dev: level, staging: level, prod: level };
}

/** Declares a rule (identity function that type-checks the literal). */
export function defineRule(rule: GuardrailRule): GuardrailRule {
  return rule;
}
