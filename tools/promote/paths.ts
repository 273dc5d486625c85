/**
 * Settings as flat paths: `['services', 'list', 'api', 'image']`, shown `services.list.api.image`.
 * Paths stay segment arrays inside the tool because keys may contain dots (`feature.checkout-v2`).
 * A list of objects that all have a distinct string `name` (services, secrets) is keyed by that
 * name, never by position, so a path names the same thing when the list is reordered.
 */
import type { PromotableField } from './promotable-fields';

export type Path = readonly string[];
/** A leaf value of a config: arrays of plain values are one leaf (`availabilityZones`). */
export type Leaf = string | number | boolean | null | readonly (string | number | boolean | null)[];

export interface FlatSetting {
  readonly path: Path;
  readonly value: Leaf;
}

export function formatPath(path: Path): string {
  return path.join('.');
}

/** The same path as a string key for maps (segments cannot contain NUL). */
export function pathKey(path: Path): string {
  return path.join('\u0000');
}

const isPlain = (value: unknown): value is string | number | boolean | null =>
  value === null || ['string', 'number', 'boolean'].includes(typeof value);

/** The key of a list element: the element's field that names it. */
export const LIST_KEY = 'name';

/** The names of a list's elements when every element is an object with a distinct string `name`. */
export function listNames(list: readonly unknown[]): string[] | undefined {
  const names = list.map((item) =>
    item !== null && typeof item === 'object' && !Array.isArray(item) ? (item as Record<string, unknown>)[LIST_KEY] : undefined,
  );
  if (names.length === 0 || !names.every((name): name is string => typeof name === 'string')) return undefined;
  return new Set(names).size === names.length ? names : undefined;
}

/** Every leaf below `value`, depth first in key order; list elements by name (else by index). */
export function flatten(value: unknown, prefix: Path = []): FlatSetting[] {
  if (isPlain(value)) return [{ path: prefix, value }];
  if (value === undefined) return [];
  if (Array.isArray(value)) {
    if (value.every(isPlain)) return [{ path: prefix, value: value as Leaf }];
    const names = listNames(value);
    return value.flatMap((item, index) => flatten(item, [...prefix, names ? names[index] : String(index)]));
  }
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => flatten(child, [...prefix, key]));
  }
  return [];
}

/** Segments of a pattern of promotable-fields.ts. */
export function patternSegments(pattern: string): string[] {
  return pattern.split('.');
}

export function matches(pattern: string, path: Path): boolean {
  const segments = patternSegments(pattern);
  return segments.length === path.length && segments.every((segment, index) => segment === '*' || segment === path[index]);
}

/** The promotable field a path belongs to, if any. */
export function promotableFieldOf(fields: readonly PromotableField[], path: Path): PromotableField | undefined {
  return fields.find((field) => matches(field.pattern, path));
}

/** The child of a list or object at one path segment, or undefined. */
export function childAt(value: unknown, key: string): unknown {
  if (Array.isArray(value)) {
    const names = listNames(value);
    if (names) return value[names.indexOf(key)];
    return /^\d+$/.test(key) ? value[Number(key)] : undefined;
  }
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

/** The value at `path`, or undefined. */
export function valueAt(root: unknown, path: Path): unknown {
  let value: unknown = root;
  for (const key of path) value = childAt(value, key);
  return value;
}

export function sameLeaf(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A value for a table cell. */
export function formatLeaf(value: unknown): string {
  if (value === undefined) return '(unset)';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
