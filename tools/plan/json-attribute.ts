/**
 * Attributes that hold JSON as a string (IAM, trust, bucket and key policies, container
 * definitions): decoded so the comment diffs them as structure, statement by statement, instead of
 * as one long string. Lists whose items all carry a distinct identifying key (`Sid` for policy
 * statements, `name` for container definitions) become objects keyed by it, so a statement added
 * in the middle does not show every later statement as changed. Policy elements that IAM accepts
 * as a string or a list (`Action`, `Resource`, `Principal.AWS`...) become sorted lists.
 */
import type { JsonValue } from './plan-json';

/** Keys that identify the items of a list, tried in order. */
const ITEM_KEYS = ['Sid', 'name'] as const;

/** True for the key of a keyed list item (`Sid=Read`): an item added or removed whole is shown whole. */
export function isItemKey(segment: string | number | undefined): boolean {
  return typeof segment === 'string' && ITEM_KEYS.some((key) => segment.startsWith(`${key}=`));
}
/** IAM policy elements that take a string or a list of strings. */
const POLICY_LIST_ELEMENTS = new Set(['Action', 'NotAction', 'Resource', 'NotResource', 'AWS', 'Service', 'Federated', 'CanonicalUser']);

type Json = JsonValue | undefined;

function isObject(value: Json): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The decoded value of a string that holds a JSON object or list; undefined for any other value. */
export function decodeJsonString(value: Json): JsonValue | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!(text.startsWith('{') && text.endsWith('}')) && !(text.startsWith('[') && text.endsWith(']'))) return undefined;
  try {
    return normalizeDocument(JSON.parse(text) as JsonValue);
  } catch {
    return undefined;
  }
}

/** Keyed lists and sorted policy elements, recursively (see the file comment). */
export function normalizeDocument(value: JsonValue, key?: string): JsonValue {
  if (Array.isArray(value)) {
    const items = value.map((item) => normalizeDocument(item));
    if (key && POLICY_LIST_ELEMENTS.has(key) && items.every((item) => typeof item === 'string')) return [...items].sort();
    for (const itemKey of ITEM_KEYS) {
      const ids = items.map((item) => (isObject(item) && typeof item[itemKey] === 'string' ? (item[itemKey] as string) : undefined));
      if (ids.length > 0 && ids.every((id) => id !== undefined && id !== '') && new Set(ids).size === ids.length) {
        return Object.fromEntries(items.map((item, index) => [`${itemKey}=${ids[index]}`, item]));
      }
    }
    return items;
  }
  if (isObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([name, item]) => {
        const normalized = normalizeDocument(item, name);
        return [name, POLICY_LIST_ELEMENTS.has(name) && typeof normalized === 'string' ? [normalized] : normalized];
      }),
    );
  }
  return value;
}
