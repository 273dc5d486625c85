import { MASKED_PLACEHOLDER, MAX_VALUE_CHARS, SENSITIVE_PLACEHOLDER, UNKNOWN_PLACEHOLDER } from './constants';
import { decodeJsonString, isItemKey } from './json-attribute';
import { isKnownSecretAttribute, isMaskedAttributeName, maskText, type MaskOptions } from './mask';
import type { Change, JsonValue } from './plan-json';

/** One changed attribute, with values already made safe to print. */
export interface AttributeDiff {
  /** Flattened attribute path, like `tags.Name` or `ingress[0].cidr_blocks[1]`; empty for a whole value. */
  path: string;
  before: string;
  after: string;
  /** True when a `replace_paths` entry covers this attribute. */
  forcesReplacement: boolean;
}

type Segment = string | number;
type Shadow = JsonValue | undefined;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Formats a path the way people write it: `a.b`, `a["k.e.y"]`, `a[0]`. */
export function formatPath(path: readonly Segment[]): string {
  return path
    .map((segment, index) => {
      if (typeof segment === 'number') return `[${segment}]`;
      if (IDENTIFIER.test(segment)) return index === 0 ? segment : `.${segment}`;
      return `[${JSON.stringify(segment)}]`;
    })
    .join('');
}

function isObject(value: Shadow): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function childOf(value: Shadow, key: Segment): Shadow {
  if (Array.isArray(value)) return typeof key === 'number' ? value[key] : undefined;
  if (isObject(value)) return typeof key === 'string' ? value[key] : undefined;
  return undefined;
}

function sameKind(a: Shadow, b: Shadow): boolean {
  return Array.isArray(a) === Array.isArray(b) && isObject(a) === isObject(b);
}

function isContainer(value: Shadow): boolean {
  return Array.isArray(value) || isObject(value);
}

/** Deep equality of JSON values; a missing value equals null. */
export function jsonEqual(a: Shadow, b: Shadow): boolean {
  if (a === undefined || a === null) return b === undefined || b === null;
  if (b === undefined || b === null) return false;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, index) => jsonEqual(item, b[index]));
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) if (!jsonEqual(a[key], b[key])) return false;
    return true;
  }
  return a === b;
}

function truncate(text: string): string {
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…` : text;
}

/**
 * Walks a value, replacing sensitive parts, masked patterns and, below a masked attribute name,
 * every string. Booleans and numbers are never masked because of a name (`password_length = 20`,
 * `manage_master_user_password = true` carry no secret); only Terraform's sensitive marker hides them.
 */
function redact(value: JsonValue, sensitive: Shadow, mask: MaskOptions, nameMasked = false): JsonValue {
  if (sensitive === true) return SENSITIVE_PLACEHOLDER;
  if (typeof value === 'string') return nameMasked ? MASKED_PLACEHOLDER : maskText(value, mask);
  if (Array.isArray(value)) return value.map((item, index) => redact(item, childOf(sensitive, index), mask, nameMasked));
  if (isObject(value)) {
    const result: Record<string, JsonValue> = {};
    for (const [key, item] of Object.entries(value)) {
      result[key] = redact(item, childOf(sensitive, key), mask, nameMasked || isMaskedAttributeName(key, mask));
    }
    return result;
  }
  return value;
}

/** Prints one value safely: sensitive and masked parts replaced, long values cut. */
export function displayValue(value: Shadow, sensitive: Shadow, nameMasked: boolean, mask: MaskOptions): string {
  if (value === undefined || value === null) return 'null'; // nothing to hide
  if (sensitive === true) return SENSITIVE_PLACEHOLDER;
  if (nameMasked && typeof value === 'string') return MASKED_PLACEHOLDER;
  return truncate(JSON.stringify(redact(value, sensitive, mask, nameMasked)));
}

interface WalkContext {
  mask: MaskOptions;
  /** The resource type, for the attributes known to carry secrets (mask.ts). */
  resourceType?: string;
  replacePaths: string[];
  out: AttributeDiff[];
}

function keysOf(...values: Shadow[]): Segment[] {
  const arrays = values.filter(Array.isArray) as JsonValue[][];
  if (arrays.length > 0) {
    const length = Math.max(...arrays.map((array) => array.length));
    return Array.from({ length }, (_, index) => index);
  }
  const keys = new Set<string>();
  for (const value of values) if (isObject(value)) for (const key of Object.keys(value)) keys.add(key);
  return [...keys].sort();
}

function push(context: WalkContext, path: Segment[], before: string, after: string): void {
  const formatted = formatPath(path);
  const forcesReplacement = context.replacePaths.some(
    (replacePath) => formatted === replacePath || formatted.startsWith(`${replacePath}.`) || formatted.startsWith(`${replacePath}[`),
  );
  context.out.push({ path: formatted, before, after, forcesReplacement });
}

function walk(
  context: WalkContext,
  path: Segment[],
  nameMasked: boolean,
  before: Shadow,
  after: Shadow,
  beforeSensitive: Shadow,
  afterSensitive: Shadow,
  afterUnknown: Shadow,
): void {
  const show = (value: Shadow, sensitive: Shadow) => displayValue(value, sensitive, nameMasked, context.mask);
  if (afterUnknown === true) {
    push(context, path, show(before, beforeSensitive), UNKNOWN_PLACEHOLDER);
    return;
  }
  if (beforeSensitive === true || afterSensitive === true) {
    if (!jsonEqual(before, after) || beforeSensitive !== afterSensitive) {
      push(context, path, show(before, beforeSensitive), show(after, afterSensitive));
    }
    return;
  }
  const decodedBefore = decodeJsonString(before);
  const decodedAfter = decodeJsonString(after);
  const decodes = (value: Shadow, decoded: Shadow) => decoded !== undefined || value === undefined || value === null;
  if ((decodedBefore !== undefined || decodedAfter !== undefined) && decodes(before, decodedBefore) && decodes(after, decodedAfter)) {
    // A JSON document in a string (policy, container definitions): diffed as structure.
    if (!jsonEqual(decodedBefore, decodedAfter)) {
      walk(context, path, nameMasked, decodedBefore ?? null, decodedAfter ?? null, undefined, undefined, undefined);
    }
    return;
  }
  const bothContainers = isContainer(before) && isContainer(after);
  const oneContainerOtherMissing =
    (isContainer(before) && (after === undefined || after === null)) ||
    (isContainer(after) && (before === undefined || before === null));
  if (oneContainerOtherMissing && isItemKey(path[path.length - 1])) {
    // A whole policy statement or container definition added or removed: shown as one value.
    push(context, path, show(before, beforeSensitive), show(after, afterSensitive));
    return;
  }
  if ((bothContainers && sameKind(before, after)) || oneContainerOtherMissing || isObject(afterUnknown)) {
    const countBefore = context.out.length;
    const unknownKeys = isObject(afterUnknown) || Array.isArray(afterUnknown) ? afterUnknown : undefined;
    for (const key of keysOf(before, after, unknownKeys)) {
      walk(
        context,
        [...path, key],
        nameMasked ||
          (typeof key === 'string' &&
            (isMaskedAttributeName(key, context.mask) || (path.length === 0 && isKnownSecretAttribute(context.resourceType, key)))),
        childOf(before, key),
        childOf(after, key),
        childOf(beforeSensitive, key),
        childOf(afterSensitive, key),
        childOf(afterUnknown, key),
      );
    }
    if (context.out.length === countBefore && !jsonEqual(before, after)) {
      push(context, path, show(before, beforeSensitive), show(after, afterSensitive));
    }
    return;
  }
  if (!jsonEqual(before, after)) push(context, path, show(before, beforeSensitive), show(after, afterSensitive));
}

/**
 * The attributes a change changes, flattened (`tags.Name`), in path order, with sensitive values shown as
 * `(sensitive)`, masked names and patterns as `(masked)` and unknown values as `(known after apply)`.
 */
export function diffAttributes(
  change: Change,
  mask: MaskOptions,
  replacePaths: readonly (string | number)[][] = [],
  resourceType?: string,
): AttributeDiff[] {
  const context: WalkContext = { mask, replacePaths: replacePaths.map(formatPath), out: [], resourceType };
  walk(
    context,
    [],
    false,
    change.before,
    change.after,
    change.before_sensitive,
    change.after_sensitive,
    change.after_unknown,
  );
  return context.out;
}
