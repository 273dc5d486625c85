/**
 * Does a fresh plan do what the reviewed one did, or what is left of it? apply.yml re-plans each
 * stack right before applying it and applies only when the answer is yes.
 *
 * Compared per resource instance (address, plus the deposed key):
 * - `change.actions` (order matters: create-before-destroy is not delete-then-create);
 * - `change.after`, every value Terraform only knows after apply replaced by one marker, keys sorted;
 * - the import id (`change.importing.id`);
 * - the configuration of the resource as written (`configuration`: expressions, constant values and
 *   references), so a rule that moves from one security group to another is seen even when both
 *   group ids are unknown in both plans;
 * and per output, its actions and planned value. Instances with nothing to do (no-op) and data
 * source reads are left out: they change nothing.
 *
 * Two kinds of difference are accepted, everything else refuses:
 * - **resumed apply**: the fresh plan is a subset of the reviewed one. A change the reviewed plan
 *   has and the fresh one does not was applied already (a failed apply re-run); a replacement of
 *   which only the create is left, or a create that became a replacement of the tainted object it
 *   left behind, is the rest of the reviewed change. Nothing the reviewed plan did not have passes.
 * - **producer applied first**: a value that differs only because an attribute reads a
 *   `terraform_remote_state` output whose value differs between the two plans (the producer stack
 *   was applied between them), directly or through another resource that differs for that reason
 *   alone. The read outputs come from each plan's `prior_state`; an attribute's references from its
 *   `configuration`. The producer's own apply passed this same gate.
 *
 * Differences are reported by address and attribute name, never with values (values may be
 * sensitive).
 *
 * `npm run --silent compare-plans -- --reviewed <plan.json> --fresh <plan.json>`: exit 0 when
 * the fresh plan does the reviewed changes or what is left of them (accepted differences are
 * printed), 1 when it does anything else (one line each) or the input is wrong.
 */
import { Command } from 'commander';
import { PROCESS_IO, runTool, type ToolIo } from './cli-support';
import { addressOf, readPlanJsonFile, type JsonValue, type PlanJson, type ResourceChange } from './plan-json';

const UNKNOWN = '(known after apply)';
/** Actions that change nothing in the infrastructure. */
const NOTHING_TO_DO = new Set(['no-op', 'read']);
const REMOTE_STATE = 'terraform_remote_state';
/** A terraform_remote_state argument the plan tooling sets for a reviewed plan only (run-plans.ts `producerDefaults`). */
const PLAN_ONLY_ARGUMENTS: Readonly<Record<string, readonly string[]>> = { [REMOTE_STATE]: ['defaults'] };
const TAINTED = 'replace_because_tainted';

export interface ComparedChange {
  readonly key: string;
  /** The resource's address in the configuration (no instance key). */
  readonly configAddress: string;
  readonly actions: readonly string[];
  readonly actionReason?: string;
  /** Planned values, unknowns replaced by a marker (canonical JSON per top-level attribute). */
  readonly after: Readonly<Record<string, string>>;
  /** @default - not imported */
  readonly importId?: string;
}

export type PlanDifference =
  | { readonly key: string; readonly kind: 'only-reviewed' | 'only-fresh'; readonly actions: readonly string[] }
  | { readonly key: string; readonly kind: 'actions'; readonly reviewed: readonly string[]; readonly fresh: readonly string[]; readonly attributes: readonly string[] }
  | { readonly key: string; readonly kind: 'values'; readonly attributes: readonly string[] }
  | { readonly key: string; readonly kind: 'import'; readonly reviewed?: string; readonly fresh?: string }
  | { readonly key: string; readonly kind: 'configuration'; readonly attributes: readonly string[] }
  | { readonly key: string; readonly kind: 'output'; readonly detail: string };

/** A difference with the verdict: accepted (and why) or refused. */
export interface JudgedDifference {
  readonly difference: PlanDifference;
  /** Why it is accepted; undefined when it refuses the apply. */
  readonly accepted?: string;
}

function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` with unknown parts (per `unknown`, Terraform's after_unknown tree) replaced by a marker, keys sorted. */
function normalized(value: JsonValue | undefined, unknown: JsonValue | undefined): JsonValue {
  if (unknown === true) return UNKNOWN;
  if (Array.isArray(value)) return value.map((item, index) => normalized(item, Array.isArray(unknown) ? unknown[index] : undefined));
  if (isObject(value) || isObject(unknown)) {
    const keys = [...new Set([...Object.keys(isObject(value) ? value : {}), ...Object.keys(isObject(unknown) ? unknown : {})])].sort();
    return Object.fromEntries(
      keys.map((key) => [key, normalized(isObject(value) ? value[key] : undefined, isObject(unknown) ? unknown[key] : undefined)]),
    );
  }
  return value === undefined ? null : value;
}

/** `address` without instance keys (`aws_subnet.app["a"]` -> `aws_subnet.app`): where the configuration has it. */
export function configAddressOf(address: string): string {
  return address.replace(/\[(?:"(?:[^"\\]|\\.)*"|\d+)\]/g, '');
}

function changeKey(resource: ResourceChange): string {
  return addressOf(resource) + (resource.deposed ? ` (deposed ${resource.deposed})` : '');
}

/** The changes of a plan that do something, by instance key (`withNoOp`: instances with nothing to do too). */
export function plannedChanges(plan: PlanJson, withNoOp = false): Map<string, ComparedChange> {
  const changes = new Map<string, ComparedChange>();
  for (const resource of plan.resource_changes ?? []) {
    const actions = resource.change.actions;
    const importId = resource.change.importing?.id;
    if (!withNoOp && actions.every((action) => NOTHING_TO_DO.has(action)) && importId === undefined) continue;
    const key = changeKey(resource);
    const after = normalized(resource.change.after, resource.change.after_unknown);
    const byAttribute = isObject(after)
      ? Object.fromEntries(Object.entries(after).map(([name, value]) => [name, JSON.stringify(value)]))
      : { '(value)': JSON.stringify(after) };
    changes.set(key, {
      key,
      configAddress: configAddressOf(addressOf(resource)),
      actions: [...actions],
      ...(resource.action_reason ? { actionReason: resource.action_reason } : {}),
      after: byAttribute,
      ...(importId !== undefined ? { importId } : {}),
    });
  }
  return changes;
}

interface ConfiguredResource {
  readonly type: string;
  readonly mode: string;
  /** Canonical JSON of each configured argument (expressions, constants and references), plus count/for_each/depends_on. */
  readonly arguments: Readonly<Record<string, string>>;
  /** The references of each argument, nested blocks included. */
  readonly references: Readonly<Record<string, readonly string[]>>;
}

type ConfigModule = { resources?: { address: string; mode?: string; type?: string; expressions?: Record<string, JsonValue>; [key: string]: unknown }[] };

/** The resources of a plan's `configuration` (root module), by address. */
export function configuredResources(plan: PlanJson): Map<string, ConfiguredResource> {
  const root = ((plan as { configuration?: { root_module?: ConfigModule } }).configuration?.root_module ?? {}) as ConfigModule;
  const resources = new Map<string, ConfiguredResource>();
  for (const resource of root.resources ?? []) {
    const type = resource.type ?? '';
    const skipped = PLAN_ONLY_ARGUMENTS[type] ?? [];
    const expressions = Object.fromEntries(Object.entries(resource.expressions ?? {}).filter(([name]) => !skipped.includes(name)));
    const argumentsOf: Record<string, string> = {};
    const references: Record<string, string[]> = {};
    for (const [name, expression] of Object.entries(expressions)) {
      argumentsOf[name] = JSON.stringify(normalized(expression, undefined));
      references[name] = referencesIn(expression);
    }
    for (const meta of ['count_expression', 'for_each_expression', 'depends_on', 'provider_config_key'] as const) {
      if (resource[meta] !== undefined) argumentsOf[`(${meta})`] = JSON.stringify(normalized(resource[meta] as JsonValue, undefined));
    }
    resources.set(resource.address, { type, mode: resource.mode ?? 'managed', arguments: argumentsOf, references });
  }
  return resources;
}

function referencesIn(expression: JsonValue): string[] {
  if (Array.isArray(expression)) return expression.flatMap(referencesIn);
  if (!isObject(expression)) return [];
  return Object.entries(expression).flatMap(([key, value]) =>
    key === 'references' && Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : referencesIn(value),
  );
}

/** `data.terraform_remote_state.<name>.outputs.<output>` for each remote-state output whose read value differs between the plans. */
export function changedRemoteOutputs(reviewed: PlanJson, fresh: PlanJson): Set<string> {
  const read = (plan: PlanJson) => {
    const values = new Map<string, string>();
    const resources = ((plan as { prior_state?: { values?: { root_module?: { resources?: { address: string; type: string; values?: { outputs?: Record<string, JsonValue> } }[] } } } })
      .prior_state?.values?.root_module?.resources ?? []);
    for (const resource of resources) {
      if (resource.type !== REMOTE_STATE) continue;
      for (const [output, value] of Object.entries(resource.values?.outputs ?? {})) values.set(`${resource.address}.outputs.${output}`, JSON.stringify(normalized(value, undefined)));
    }
    return values;
  };
  const before = read(reviewed);
  const after = read(fresh);
  return new Set([...new Set([...before.keys(), ...after.keys()])].filter((key) => before.get(key) !== after.get(key)));
}

type OutputChange = { actions: string[]; after?: JsonValue; after_unknown?: JsonValue };

/** How the fresh plan's changes differ from the reviewed plan's, sorted by instance, each judged; empty when they are the same. */
export function judgeDifferences(reviewed: PlanJson, fresh: PlanJson): JudgedDifference[] {
  const before = plannedChanges(reviewed);
  const after = plannedChanges(fresh);
  const unchangedBefore = plannedChanges(reviewed, true);
  const configBefore = configuredResources(reviewed);
  const configAfter = configuredResources(fresh);
  const judged: JudgedDifference[] = [];

  // Configuration: every resource and data source with a change in either plan, and every data source.
  const configured = new Set([...[...before.values(), ...after.values()].map((change) => change.configAddress)]);
  for (const [address, resource] of [...configBefore, ...configAfter]) if (resource.mode === 'data') configured.add(address);
  for (const address of [...configured].sort()) {
    // A resource only one configuration has shows as a change only one plan has.
    if (!configBefore.has(address) || !configAfter.has(address)) continue;
    const a = configBefore.get(address)!.arguments;
    const b = configAfter.get(address)!.arguments;
    const names = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort().filter((name) => a[name] !== b[name]);
    if (names.length > 0) judged.push({ difference: { key: address, kind: 'configuration', attributes: names } });
  }

  // Explained differences: through remote-state outputs that changed, then through resources that differ only for that reason.
  const sources = changedRemoteOutputs(reviewed, fresh);
  const explains = (configAddress: string, attribute: string): string | undefined => {
    const refs = configAfter.get(configAddress)?.references[attribute] ?? configBefore.get(configAddress)?.references[attribute] ?? [];
    return refs.find((ref) => [...sources].some((source) => ref === source || ref.startsWith(`${source}.`) || ref.startsWith(`${source}[`)));
  };
  // A computed attribute (no expression in the configuration) that the fresh plan knows only after apply follows the configured ones.
  const followsConfigured = (configAddress: string, attribute: string, freshValue: string | undefined) =>
    freshValue === JSON.stringify(UNKNOWN) && configAfter.get(configAddress)?.arguments[attribute] === undefined;
  const pending = new Map<string, { difference: PlanDifference; attributes: readonly string[]; configAddress: string; fresh: ComparedChange }>();
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  for (const key of keys) {
    const a = before.get(key);
    const b = after.get(key);
    if (!b) {
      judged.push({ difference: { key, kind: 'only-reviewed', actions: a!.actions }, accepted: 'applied already (resumed apply)' });
      continue;
    }
    const unchanged = unchangedBefore.get(key);
    if (!a && unchanged && b.actions.join() !== 'delete') {
      // Nothing to do in the reviewed plan; the fresh plan changes what a producer's new outputs change (or refuses).
      const attributes = [...new Set([...Object.keys(unchanged.after), ...Object.keys(b.after)])].sort().filter((name) => unchanged.after[name] !== b.after[name]);
      pending.set(key, { difference: { key, kind: 'only-fresh', actions: b.actions }, attributes, configAddress: b.configAddress, fresh: b });
      continue;
    }
    if (!a) {
      const replaced = b.actions.join() === 'delete' && key.includes(' (deposed ') && before.get(key.replace(/ \(deposed .*\)$/, ''))?.actions.join() === 'create,delete';
      judged.push({ difference: { key, kind: 'only-fresh', actions: b.actions }, ...(replaced ? { accepted: 'the old object of a reviewed create-before-destroy replacement (resumed apply)' } : {}) });
      continue;
    }
    if ((a.importId ?? '') !== (b.importId ?? '')) judged.push({ difference: { key, kind: 'import', reviewed: a.importId, fresh: b.importId } });
    const names = [...new Set([...Object.keys(a.after), ...Object.keys(b.after)])].sort();
    const attributes = names.filter((name) => a.after[name] !== b.after[name]);
    const sameActions = a.actions.join() === b.actions.join();
    const remainder =
      (['delete,create', 'create,delete'].includes(a.actions.join()) && b.actions.join() === 'create') ||
      (a.actions.join() === 'create' && b.actions.join() === 'delete,create' && b.actionReason === TAINTED);
    if (!sameActions && remainder && attributes.length === 0) {
      judged.push({ difference: { key, kind: 'actions', reviewed: a.actions, fresh: b.actions, attributes }, accepted: 'what is left of the reviewed change (resumed apply)' });
    } else if (!sameActions) {
      pending.set(key, { difference: { key, kind: 'actions', reviewed: a.actions, fresh: b.actions, attributes }, attributes, configAddress: b.configAddress, fresh: b });
    } else if (attributes.length > 0) {
      pending.set(key, { difference: { key, kind: 'values', attributes }, attributes, configAddress: b.configAddress, fresh: b });
    }
  }
  // Outputs of this stack: the same actions and values, or explained the same way.
  const outputs = (plan: PlanJson) => (plan.output_changes ?? {}) as Record<string, OutputChange>;
  const outputConfig = (plan: PlanJson, name: string) =>
    referencesIn((((plan as { configuration?: { root_module?: { outputs?: Record<string, JsonValue> } } }).configuration?.root_module?.outputs ?? {})[name] ?? null) as JsonValue);
  const outputEntries: { name: string; detail: string }[] = [];
  for (const name of [...new Set([...Object.keys(outputs(reviewed)), ...Object.keys(outputs(fresh))])].sort()) {
    const a = outputs(reviewed)[name];
    const b = outputs(fresh)[name];
    const actions = (change?: OutputChange) => (change && !change.actions.every((x) => NOTHING_TO_DO.has(x)) ? change.actions.join('+') : 'nothing');
    const value = (change?: OutputChange) => JSON.stringify(normalized(change?.after, change?.after_unknown));
    if (actions(b) === 'nothing' && actions(a) !== 'nothing') {
      judged.push({ difference: { key: `output.${name}`, kind: 'output', detail: `reviewed plan ${actions(a)}, fresh plan nothing` }, accepted: 'applied already (resumed apply)' });
    } else if (actions(a) !== actions(b)) {
      outputEntries.push({ name, detail: `reviewed plan ${actions(a)}, fresh plan ${actions(b)}` });
    } else if (actions(b) !== 'nothing' && value(a) !== value(b)) {
      outputEntries.push({ name, detail: 'planned value differs' });
    }
  }
  // Fixed point: a resource whose every difference is explained explains what references it.
  for (let grew = true; grew; ) {
    grew = false;
    for (const [key, entry] of pending) {
      const configured = entry.attributes.filter((attribute) => !followsConfigured(entry.configAddress, attribute, entry.fresh.after[attribute]));
      const reasons = configured.map((attribute) => explains(entry.configAddress, attribute));
      if (configured.length > 0 && reasons.every(Boolean)) {
        judged.push({ difference: entry.difference, accepted: `reads ${[...new Set(reasons)].join(', ')}, which changed between the plans` });
        pending.delete(key);
        if (!sources.has(entry.configAddress)) sources.add(entry.configAddress);
        grew = true;
      }
    }
  }
  for (const entry of pending.values()) judged.push({ difference: entry.difference });
  for (const { name, detail } of outputEntries) {
    const refs = [...new Set([...outputConfig(reviewed, name), ...outputConfig(fresh, name)])];
    const reason = refs.find((ref) => [...sources].some((source) => ref === source || ref.startsWith(`${source}.`) || ref.startsWith(`${source}[`)));
    judged.push({ difference: { key: `output.${name}`, kind: 'output', detail }, ...(reason ? { accepted: `reads ${reason}, which changed between the plans` } : {}) });
  }
  return judged.sort((x, y) => (x.difference.key < y.difference.key ? -1 : x.difference.key > y.difference.key ? 1 : 0));
}

/** The differences that refuse the apply (see judgeDifferences); empty when the fresh plan may be applied. */
export function comparePlans(reviewed: PlanJson, fresh: PlanJson): PlanDifference[] {
  return judgeDifferences(reviewed, fresh)
    .filter((judged) => judged.accepted === undefined)
    .map((judged) => judged.difference);
}

export function differenceLine(difference: PlanDifference): string {
  switch (difference.kind) {
    case 'only-reviewed':
      return `${difference.key}: reviewed plan ${difference.actions.join('+')}, fresh plan nothing`;
    case 'only-fresh':
      return `${difference.key}: fresh plan ${difference.actions.join('+')}, not in the reviewed plan`;
    case 'actions':
      return `${difference.key}: reviewed plan ${difference.reviewed.join('+')}, fresh plan ${difference.fresh.join('+')}${difference.attributes.length ? ` (values differ in ${difference.attributes.join(', ')})` : ''}`;
    case 'values':
      return `${difference.key}: planned values differ in ${difference.attributes.join(', ')}`;
    case 'import':
      return `${difference.key}: reviewed plan imports ${difference.reviewed === undefined ? 'nothing' : `id ${difference.reviewed}`}, fresh plan ${difference.fresh === undefined ? 'nothing' : `id ${difference.fresh}`}`;
    case 'configuration':
      return `${difference.key}: configuration differs in ${difference.attributes.join(', ')}`;
    case 'output':
      return `${difference.key}: ${difference.detail}`;
  }
}

export async function main(argv: readonly string[], io: ToolIo = PROCESS_IO): Promise<number> {
  return runTool('compare-plans', io, () => {
    const options = new Command('compare-plans')
      .description('Compare the changes of a fresh plan with the reviewed plan')
      .requiredOption('--reviewed <plan.json>', 'plan JSON reviewed on the pull request')
      .requiredOption('--fresh <plan.json>', 'plan JSON made just before apply')
      .exitOverride()
      .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
      .parse([...argv], { from: 'user' })
      .opts<{ reviewed: string; fresh: string }>();
    const judged = judgeDifferences(readPlanJsonFile(options.reviewed), readPlanJsonFile(options.fresh));
    const refused = judged.filter((j) => j.accepted === undefined);
    for (const { difference, accepted } of judged.filter((j) => j.accepted !== undefined)) io.stdout(`accepted: ${differenceLine(difference)}: ${accepted}\n`);
    if (refused.length === 0) {
      io.stdout(judged.length === 0 ? 'the fresh plan makes the same changes as the reviewed plan\n' : 'the fresh plan makes the reviewed changes or what is left of them\n');
      return 0;
    }
    for (const { difference } of refused) io.stdout(`${differenceLine(difference)}\n`);
    io.stderr(`compare-plans: the fresh plan differs from the reviewed plan in ${refused.length} resource(s); re-run the pull request plan and review it again\n`);
    return 1;
  });
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
