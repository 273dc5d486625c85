/**
 * `promote --diff`: every setting (flattened dotted path of the validated configs) where the
 * environments of the chain differ, in one table, promotable fields marked, so drift between
 * environments is visible before it surprises a promotion.
 */
import type { Platform } from '../../environments/load';
import { flatten, pathKey, promotableFieldOf, sameLeaf, type Leaf, type Path } from './paths';
import type { PromotableField } from './promotable-fields';

export interface DriftRow {
  readonly path: Path;
  /** Value per environment name; undefined when the environment does not set it. */
  readonly values: Readonly<Record<string, Leaf | undefined>>;
  readonly promotable: boolean;
}

export interface DriftReport {
  /** The chain, first to last. */
  readonly environments: readonly string[];
  /** Settings that differ, in config order. */
  readonly rows: readonly DriftRow[];
}

export function driftReport(platform: Platform, fields: readonly PromotableField[]): DriftReport {
  const environments = platform.promotionChain.map((env) => env.name);
  const order: Path[] = [];
  const byKey = new Map<string, Record<string, Leaf | undefined>>();
  for (const env of platform.promotionChain) {
    for (const setting of flatten(env)) {
      const key = pathKey(setting.path);
      if (!byKey.has(key)) {
        byKey.set(key, {});
        order.push(setting.path);
      }
      byKey.get(key)![env.name] = setting.value;
    }
  }
  const rows = order
    .map((path) => ({ path, values: byKey.get(pathKey(path))!, promotable: promotableFieldOf(fields, path) !== undefined }))
    .filter((row) => environments.some((env) => !sameLeaf(row.values[env], row.values[environments[0]])));
  return { environments, rows };
}
