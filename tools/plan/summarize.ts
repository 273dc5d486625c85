import { ACTION_GROUPS, type ActionGroup } from './constants';
import { addressOf, type Change, type JsonValue, type PlanJson, type ResourceChange } from './plan-json';
import { securityConcern } from './security';

/** One resource instance change (or drift entry) with what the comment needs to know about it. */
export interface ClassifiedChange {
  address: string;
  /** Set when the resource moved from another address (`moved` block or refactoring). */
  previousAddress?: string;
  type: string;
  group: ActionGroup;
  /** Set when the plan imports the object (`import` block); the import id when Terraform gives it. */
  importId?: string;
  importing: boolean;
  /** Set for changes of a deposed object (left over from create_before_destroy). */
  deposed?: string;
  actionReason?: string;
  replacePaths: (string | number)[][];
  /** Why the change is security-sensitive, when it is. */
  securityConcern?: string;
  change: Change;
}

/** One entry of `output_changes`. */
export interface OutputChange {
  name: string;
  group: ActionGroup;
  change: Change;
}

/** Counts of one stack's planned changes. Replacements count once, as replace. */
export interface ChangeCounts {
  add: number;
  change: number;
  replace: number;
  destroy: number;
  import: number;
  move: number;
  forget: number;
  read: number;
  /** Instances with nothing to do: no change, no import, no move. */
  noOp: number;
}

/** What one stack's plan does, ready to render. */
export interface StackSummary {
  stack: string;
  /** Set when the plan failed or could not be read; the stack then shows as failed. */
  failure?: string;
  counts: ChangeCounts;
  /** Planned changes, sorted by action group then address; instances with nothing to do are left out. */
  changes: ClassifiedChange[];
  /** Changes made outside Terraform found during refresh (`resource_drift`), same order. */
  drift: ClassifiedChange[];
  /** Output changes other than no-op, sorted by name. */
  outputs: OutputChange[];
}

/** Message for a plan whose JSON says `errored: true`. */
export const ERRORED_PLAN_FAILURE = 'Terraform reported errors while planning; the changes below may be incomplete';

/**
 * The action group of a `change.actions` list: `["delete","create"]` and `["create","delete"]` are one replace.
 */
export function actionGroupOf(actions: readonly string[]): ActionGroup {
  const key = [...actions].sort().join(',');
  switch (key) {
    case 'create,delete':
      return 'replace';
    case 'delete':
      return 'destroy';
    case 'create':
      return 'create';
    case 'update':
      return 'update';
    case 'read':
      return 'read';
    case 'forget':
      return 'forget';
    default:
      // "no-op" and anything a newer Terraform may add: shown, never counted as a write.
      return 'no-op';
  }
}

function objectAt(value: JsonValue | undefined, key: string): JsonValue | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value[key] : undefined;
}

function isUnknownAt(afterUnknown: JsonValue | undefined, attribute: string): boolean {
  return afterUnknown === true || objectAt(afterUnknown, attribute) === true;
}

function classify(resource: ResourceChange): ClassifiedChange {
  const group = actionGroupOf(resource.change.actions);
  const address = addressOf(resource);
  const importing = resource.change.importing !== undefined && resource.change.importing !== null;
  const moved = resource.previous_address !== undefined && resource.previous_address !== address;
  const concern = securityConcern({
    type: resource.type,
    writes: group !== 'no-op' && group !== 'read',
    deletesOnly: group === 'destroy' || group === 'forget',
    before: resource.change.before,
    after: resource.change.after,
    afterUnknown: (attribute) => isUnknownAt(resource.change.after_unknown, attribute),
  });
  return {
    address,
    ...(moved ? { previousAddress: resource.previous_address } : {}),
    type: resource.type,
    group,
    importing,
    ...(importing && resource.change.importing?.id !== undefined ? { importId: resource.change.importing.id } : {}),
    ...(resource.deposed ? { deposed: resource.deposed } : {}),
    ...(resource.action_reason ? { actionReason: resource.action_reason } : {}),
    replacePaths: resource.change.replace_paths ?? [],
    ...(concern ? { securityConcern: concern } : {}),
    change: resource.change,
  };
}

const GROUP_ORDER = new Map(ACTION_GROUPS.map((group, index) => [group, index]));

/** Deterministic order: action group (destructive first), then address, then deposed key. */
export function compareChanges(a: ClassifiedChange, b: ClassifiedChange): number {
  return (
    (GROUP_ORDER.get(a.group) ?? 0) - (GROUP_ORDER.get(b.group) ?? 0) ||
    compareStrings(a.address, b.address) ||
    compareStrings(a.deposed ?? '', b.deposed ?? '')
  );
}

/** Locale-independent string order, so the output is the same on every machine. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function emptyCounts(): ChangeCounts {
  return { add: 0, change: 0, replace: 0, destroy: 0, import: 0, move: 0, forget: 0, read: 0, noOp: 0 };
}

function isNothingToDo(change: ClassifiedChange): boolean {
  return change.group === 'no-op' && !change.importing && change.previousAddress === undefined;
}

function countChanges(changes: readonly ClassifiedChange[]): ChangeCounts {
  const counts = emptyCounts();
  for (const change of changes) {
    if (change.importing) counts.import += 1;
    if (change.previousAddress !== undefined) counts.move += 1;
    switch (change.group) {
      case 'create':
        counts.add += 1;
        break;
      case 'update':
        counts.change += 1;
        break;
      case 'replace':
        counts.replace += 1;
        break;
      case 'destroy':
        counts.destroy += 1;
        break;
      case 'forget':
        counts.forget += 1;
        break;
      case 'read':
        counts.read += 1;
        break;
      case 'no-op':
        if (isNothingToDo(change)) counts.noOp += 1;
        break;
    }
  }
  return counts;
}

/**
 * Summarizes one stack's plan: counts per action, sorted changes, drift, outputs and security concerns.
 */
export function summarizePlan(stack: string, plan: PlanJson): StackSummary {
  const all = (plan.resource_changes ?? []).map(classify).sort(compareChanges);
  const drift = (plan.resource_drift ?? []).map(classify).sort(compareChanges);
  const outputs = Object.entries(plan.output_changes ?? {})
    .map(([name, change]) => ({ name, group: actionGroupOf(change.actions), change }))
    .filter((output) => output.group !== 'no-op')
    .sort((a, b) => compareStrings(a.name, b.name));
  return {
    stack,
    ...(plan.errored ? { failure: ERRORED_PLAN_FAILURE } : {}),
    counts: countChanges(all),
    changes: all.filter((change) => !isNothingToDo(change)),
    drift,
    outputs,
  };
}

/** The summary of a stack whose plan failed or could not be read. */
export function failedStack(stack: string, reason: string): StackSummary {
  return { stack, failure: reason, counts: emptyCounts(), changes: [], drift: [], outputs: [] };
}
