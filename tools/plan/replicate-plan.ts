import type { PlanJson } from './plan-json';

/**
 * A plan of `count` resource changes made by replicating the real changes of `plan` under new
 * addresses: large plans for the length-limit test and the benchmark, from real terraform output.
 */
export function replicatePlan(plan: PlanJson, count: number): PlanJson {
  const entries = plan.resource_changes ?? [];
  if (entries.length === 0) throw new Error('replicatePlan needs a plan with at least one resource change');
  const resource_changes = Array.from({ length: count }, (_, index) => {
    const entry = entries[index % entries.length];
    const name = `${entry.name}_${index}`;
    return { ...entry, name, address: `${entry.type}.${name}` };
  });
  return { ...plan, resource_changes };
}
