/** The containers of an `aws_ecs_task_definition` (`container_definitions` is a JSON string). */
import type { ResourceView } from '../rule';
import { parseJsonencode } from '../../core/jsonencode-reader';
import { isObject } from './values';

export type Containers = { readonly ok: true; readonly containers: readonly Readonly<Record<string, unknown>>[] } | { readonly ok: false; readonly reason: string };

export function containersOf(taskDefinition: ResourceView): Containers {
  const raw = taskDefinition.attributes.container_definitions;
  let parsed: unknown;
  if (typeof raw === 'string') {
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = parseJsonencode(raw);
    }
  } else parsed = raw;
  if (!Array.isArray(parsed)) {
    return { ok: false, reason: 'container_definitions cannot be read at synth time; write it with JSON.stringify or Fn.jsonencode' };
  }
  return { ok: true, containers: parsed.filter(isObject) };
}

/** `container "api"`. */
export function containerLabel(container: Readonly<Record<string, unknown>>): string {
  return `container "${String(container.name ?? '?')}"`;
}
