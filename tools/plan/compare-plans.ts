/**
 * Does a fresh plan do what the reviewed one did? apply.yml re-plans after merge and applies only
 * when the answer is yes: the same resource instances, the same actions, the same planned values.
 *
 * Compared per resource instance (address, plus the deposed key): `change.actions` (order
 * matters: create-before-destroy is not delete-then-create) and `change.after` with every value
 * Terraform only knows after apply replaced by one marker, keys sorted. Instances with nothing to
 * do (no-op) and data source reads are left out: they change nothing. Differences are reported by
 * address and attribute name, never with values (values may be sensitive).
 *
 * `npm run --silent compare-plans -- --reviewed <plan.json> --fresh <plan.json>`: exit 0 when
 * the changes are the same, 1 when they differ (one line each) or the input is wrong.
 */
import { Command } from 'commander';
import { PROCESS_IO, runTool, type ToolIo } from './cli-support';
import { addressOf, readPlanJsonFile, type JsonValue, type PlanJson } from './plan-json';

const UNKNOWN = '(known after apply)';
/** Actions that change nothing in the infrastructure. */
const NOTHING_TO_DO = new Set(['no-op', 'read']);

export interface ComparedChange {
  readonly key: string;
  readonly actions: readonly string[];
  /** Planned values, unknowns replaced by a marker (canonical JSON per top-level attribute). */
  readonly after: Readonly<Record<string, string>>;
}

export type PlanDifference =
  | { readonly key: string; readonly kind: 'only-reviewed' | 'only-fresh'; readonly actions: readonly string[] }
  | { readonly key: string; readonly kind: 'actions'; readonly reviewed: readonly string[]; readonly fresh: readonly string[] }
  | { readonly key: string; readonly kind: 'values'; readonly attributes: readonly string[] };

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

/** The changes of a plan that do something, by instance key. */
export function plannedChanges(plan: PlanJson): Map<string, ComparedChange> {
  const changes = new Map<string, ComparedChange>();
  for (const resource of plan.resource_changes ?? []) {
    const actions = resource.change.actions;
    if (actions.every((action) => NOTHING_TO_DO.has(action))) continue;
    const key = addressOf(resource) + (resource.deposed ? ` (deposed ${resource.deposed})` : '');
    const after = normalized(resource.change.after, resource.change.after_unknown);
    const byAttribute = isObject(after)
      ? Object.fromEntries(Object.entries(after).map(([name, value]) => [name, JSON.stringify(value)]))
      : { '(value)': JSON.stringify(after) };
    changes.set(key, { key, actions: [...actions], after: byAttribute });
  }
  return changes;
}

/** How the fresh plan's changes differ from the reviewed plan's, sorted by instance; empty when they are the same. */
export function comparePlans(reviewed: PlanJson, fresh: PlanJson): PlanDifference[] {
  const before = plannedChanges(reviewed);
  const after = plannedChanges(fresh);
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  const differences: PlanDifference[] = [];
  for (const key of keys) {
    const a = before.get(key);
    const b = after.get(key);
    if (!b) differences.push({ key, kind: 'only-reviewed', actions: a!.actions });
    else if (!a) differences.push({ key, kind: 'only-fresh', actions: b.actions });
    else if (a.actions.join() !== b.actions.join()) differences.push({ key, kind: 'actions', reviewed: a.actions, fresh: b.actions });
    else {
      const names = [...new Set([...Object.keys(a.after), ...Object.keys(b.after)])].sort();
      const attributes = names.filter((name) => a.after[name] !== b.after[name]);
      if (attributes.length > 0) differences.push({ key, kind: 'values', attributes });
    }
  }
  return differences;
}

export function differenceLine(difference: PlanDifference): string {
  switch (difference.kind) {
    case 'only-reviewed':
      return `${difference.key}: reviewed plan ${difference.actions.join('+')}, fresh plan nothing`;
    case 'only-fresh':
      return `${difference.key}: fresh plan ${difference.actions.join('+')}, not in the reviewed plan`;
    case 'actions':
      return `${difference.key}: reviewed plan ${difference.reviewed.join('+')}, fresh plan ${difference.fresh.join('+')}`;
    case 'values':
      return `${difference.key}: planned values differ in ${difference.attributes.join(', ')}`;
  }
}

export async function main(argv: readonly string[], io: ToolIo = PROCESS_IO): Promise<number> {
  return runTool('compare-plans', io, () => {
    const options = new Command('compare-plans')
      .description('Compare the resource changes of a fresh plan with the reviewed plan')
      .requiredOption('--reviewed <plan.json>', 'plan JSON reviewed on the pull request')
      .requiredOption('--fresh <plan.json>', 'plan JSON made just before apply')
      .exitOverride()
      .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
      .parse([...argv], { from: 'user' })
      .opts<{ reviewed: string; fresh: string }>();
    const differences = comparePlans(readPlanJsonFile(options.reviewed), readPlanJsonFile(options.fresh));
    if (differences.length === 0) {
      io.stdout('the fresh plan makes the same changes as the reviewed plan\n');
      return 0;
    }
    for (const difference of differences) io.stdout(`${differenceLine(difference)}\n`);
    io.stderr(`compare-plans: the fresh plan differs from the reviewed plan in ${differences.length} resource(s); re-run the pull request plan and review it again\n`);
    return 1;
  });
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
