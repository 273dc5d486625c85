/** The pinned values of an environment: the settings of promotable-fields.ts it holds, checked. */
import type { EnvironmentConfig } from '../../environments/schema';
import { parseImageRef } from '../../modules/containers/image-ref';
import { errors } from './errors';
import { formatPath, listNames, promotableFieldOf, type Path } from './paths';
import type { PromotableField } from './promotable-fields';

export type PinValue = string | number | boolean;

export interface PinnedValue {
  readonly path: Path;
  readonly value: PinValue;
  readonly field: PromotableField;
}

/** Every pinned value of `env`, in config order; throws PromoteError on a value that does not parse. */
export function pinnedValues(env: EnvironmentConfig, fields: readonly PromotableField[]): PinnedValue[] {
  const pins: PinnedValue[] = [];
  for (const setting of flattenForPins(env, fields)) {
    const field = promotableFieldOf(fields, setting.path);
    if (!field) continue;
    checkPin(env.name, setting.path, setting.value, field);
    pins.push({ path: setting.path, value: setting.value as PinValue, field });
  }
  return pins;
}

/** Flattens, but keeps a promotable path whose value is an object or list as one leaf so it is reported, not silently skipped. */
function flattenForPins(env: EnvironmentConfig, fields: readonly PromotableField[]): { path: Path; value: unknown }[] {
  const out: { path: Path; value: unknown }[] = [];
  const walk = (value: unknown, path: Path) => {
    if (path.length > 0 && promotableFieldOf(fields, path)) {
      out.push({ path, value });
      return;
    }
    if (Array.isArray(value)) {
      const names = listNames(value);
      value.forEach((child, index) => walk(child, [...path, names ? names[index] : String(index)]));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) walk(child, [...path, key]);
    }
  };
  walk(env, []);
  return out;
}

export function checkPin(env: string, path: Path, value: unknown, field: PromotableField): void {
  const name = formatPath(path);
  if (!['string', 'number', 'boolean'].includes(typeof value)) {
    throw errors.badPin(env, name, value, 'is not a string, number or boolean; a pinned value is one literal');
  }
  if (field.kind === 'image') {
    if (typeof value !== 'string') throw errors.badPin(env, name, value, 'is not an image reference string');
    const parsed = parseImageRef(value);
    if (!parsed.ok) throw errors.badPin(env, name, value, parsed.problem);
  }
}
