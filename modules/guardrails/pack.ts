/**
 * The pack: an Aspect added to each stack. When it visits the stack it registers a validation;
 * cdktf runs it after every Aspect, so the evaluation sees the finished stack. The validation
 * resolves the stack (`stack.toTerraform()`, exactly what cdk.tf.json will hold), dispatches
 * every resource to the rules of its type, applies suppressions and records the StackReport.
 * Errors fail the synth: directly (the validation returns them) or, when the synth collects
 * reports (`collectGuardrailReports(app)`, as tools/synth/synthesize.ts does), all stacks first
 * and then one GuardrailError listing every error.
 */
import { Annotations, Aspects, TerraformStack, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import type { LayerStack } from '../../stacks/layer-stack';
import { TAGGABLE_RESOURCE_TYPES } from './data/taggable-resource-types';
import { MIN_SUPPRESSION_REASON_LENGTH, SUPPRESSION_RULE_ID } from './defaults';
import { ALL_RULES } from './rules';
import type { GuardrailRule, ResourceView, RuleResult, Severity } from './rule';
import { formatFinding, type Finding, type StackReport, type SuppressionEntry } from './report';
import { suppressionsOn, type Suppression } from './suppressions';
import { buildStackView, type StackJson } from './private/stack-view';

export interface GuardrailPackProps {
  /** The rules to run. @default ALL_RULES */
  readonly rules?: readonly GuardrailRule[];
}

const REPORTS = new WeakMap<IConstruct, StackReport>();
const COLLECTORS = new WeakMap<IConstruct, StackReport[]>();
const REGISTERED = new WeakSet<IConstruct>();

export class GuardrailPack implements IAspect {
  private readonly rules: readonly GuardrailRule[];

  constructor(props: GuardrailPackProps = {}) {
    this.rules = props.rules ?? ALL_RULES;
    const ids = this.rules.map((rule) => rule.id);
    const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
    if (duplicate) throw new Error(`GuardrailPack: rules holds rule id ${duplicate} twice; every rule needs its own id`);
  }

  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node) || REGISTERED.has(node)) return;
    const stack = asLayerStack(node);
    REGISTERED.add(node);
    node.node.addValidation({
      validate: () => {
        const report = checkStack(stack, this.rules);
        const collector = COLLECTORS.get(node.node.root);
        if (collector) {
          collector.push(report);
          return [];
        }
        for (const finding of report.findings.filter((f) => f.level === 'warning')) Annotations.of(node).addWarning(formatFinding(finding));
        return report.findings.filter((finding) => finding.level === 'error').map(formatFinding);
      },
    });
  }
}

/** Adds the pack to a stack (cdktf applies Aspects of stacks only, never of the App). */
export function applyGuardrails(stack: TerraformStack, props: GuardrailPackProps = {}): void {
  Aspects.of(stack).add(new GuardrailPack(props));
}

/**
 * Makes the stacks of `app` record their reports instead of failing one by one: after
 * `app.synth()` the returned list holds one report per guarded stack, and the caller decides.
 */
export function collectGuardrailReports(app: IConstruct): readonly StackReport[] {
  const reports: StackReport[] = [];
  COLLECTORS.set(app.node.root, reports);
  return reports;
}

/** The report of the last guardrail evaluation of a stack, if the pack ran on it. */
export function guardrailReport(stack: IConstruct): StackReport | undefined {
  return REPORTS.get(stack);
}

/** Evaluates the rules on a stack now (the pack's validation calls this; tests may too). */
export function checkStack(stack: LayerStack, rules: readonly GuardrailRule[] = ALL_RULES): StackReport {
  const view = buildStackView(stack.node.id, stack.environment, stack.toTerraform() as StackJson);
  const constructs = new Map(stack.node.findAll().map((construct) => [construct.node.path, construct]));
  const addressOfPath = new Map(view.resources.map((resource) => [resource.path, resource.address]));
  const known = new Set(rules.map((rule) => rule.id));
  const findings: Finding[] = [];
  const finding = (rule: Pick<GuardrailRule, 'id' | 'fix'>, level: Severity, path: string, address: string, message: string): Finding => ({
    ruleId: rule.id,
    level,
    stack: stack.node.id,
    path,
    address,
    message,
    fix: rule.fix,
  });

  // Suppressions: check each once, keep the valid ones.
  const valid = new Map<Suppression, { path: string; suppressed: string[] }>();
  const suppressionRule = { id: SUPPRESSION_RULE_ID, fix: `give the suppression a reason of at least ${MIN_SUPPRESSION_REASON_LENGTH} characters naming a rule id of modules/guardrails/rules` };
  for (const construct of [...stack.node.scopes.slice(0, -1), ...stack.node.findAll()]) {
    for (const suppression of suppressionsOn(construct)) {
      const path = construct.node.path || '(app)';
      const address = addressOfPath.get(construct.node.path) ?? '-';
      const reason = suppression.reason.trim();
      if (!known.has(suppression.ruleId)) {
        findings.push(finding(suppressionRule, 'error', path, address, `suppression names unknown rule "${suppression.ruleId}"`));
      } else if (reason.length < MIN_SUPPRESSION_REASON_LENGTH) {
        findings.push(
          finding(suppressionRule, 'error', path, address, `suppression of ${suppression.ruleId} has ${reason.length === 0 ? 'no reason' : `too short a reason ("${reason}")`}`),
        );
      } else valid.set(suppression, { path, suppressed: [] });
    }
  }
  const suppressionFor = (resource: ResourceView, ruleId: string): Suppression | undefined => {
    const scopes = constructs.get(resource.path)?.node.scopes ?? [];
    for (const scope of [...scopes].reverse()) {
      const match = suppressionsOn(scope).find((s) => s.ruleId === ruleId && valid.has(s));
      if (match) return match;
    }
    return undefined;
  };

  const counts = { checks: 0, passed: 0, suppressed: 0, warned: 0, failed: 0 };
  const rulesApplied = new Set<string>();
  for (const resource of view.resources) {
    for (const rule of rules) {
      const level = rule.level[view.tier];
      if (level === 'off' || !dispatches(rule, resource.type)) continue;
      let result: RuleResult;
      try {
        result = rule.evaluate(resource, { stack: view });
      } catch (error) {
        result = { status: 'non-compliant', problems: [`rule ${rule.name} threw: ${(error as Error)?.message ?? String(error)}`] };
        rulesApplied.add(rule.id);
        counts.checks++;
        counts.failed++;
        findings.push(...result.problems.map((message) => finding({ id: rule.id, fix: `fix modules/guardrails/rules/${rule.name}.ts` }, 'error', resource.path, resource.address, message)));
        continue;
      }
      if (result.status === 'not-applicable') continue;
      rulesApplied.add(rule.id);
      counts.checks++;
      if (result.status === 'compliant') {
        counts.passed++;
        continue;
      }
      const suppression = suppressionFor(resource, rule.id);
      if (suppression) {
        counts.suppressed++;
        valid.get(suppression)!.suppressed.push(resource.address);
        continue;
      }
      counts[level === 'error' ? 'failed' : 'warned']++;
      findings.push(...result.problems.map((message) => finding(rule, level, resource.path, resource.address, message)));
    }
  }

  const suppressions: SuppressionEntry[] = [...valid.entries()].map(([s, used]) => ({
    ruleId: s.ruleId,
    reason: s.reason.trim(),
    path: used.path,
    suppressedAddresses: used.suppressed,
  }));
  const report: StackReport = {
    stack: stack.node.id,
    environment: stack.environment.name,
    tier: stack.environment.tier,
    rulesChecked: rulesApplied.size,
    ...counts,
    findings: findings.sort(byLevelRuleAddress),
    suppressions,
  };
  REPORTS.set(stack, report);
  return report;
}

function dispatches(rule: GuardrailRule, type: string): boolean {
  return rule.resourceTypes === 'taggable' ? TAGGABLE_RESOURCE_TYPES.has(type) : rule.resourceTypes.includes(type);
}

function byLevelRuleAddress(a: Finding, b: Finding): number {
  if (a.level !== b.level) return a.level === 'error' ? -1 : 1;
  return a.ruleId.localeCompare(b.ruleId, 'en', { numeric: true }) || a.address.localeCompare(b.address) || a.message.localeCompare(b.message);
}

function asLayerStack(stack: TerraformStack): LayerStack {
  const candidate = stack as Partial<LayerStack>;
  if (candidate.environment === undefined || typeof candidate.environment.tier !== 'string') {
    throw new Error(`GuardrailPack: stack ${stack.node.id} is not a LayerStack (it has no environment); guardrails need the tier of the stack`);
  }
  return stack as LayerStack;
}
