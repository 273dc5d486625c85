/**
 * Resolving a stack once per synth instead of three times.
 *
 * cdktf 0.21 resolves every element of a stack in a preparing pass (`prepareStack`, which only
 * looks for cross-stack references), then again to build the stack's JSON (`toTerraform`), and
 * then the whole assembled JSON once more. With 200 stacks that is two thirds of a synth. The
 * preparing pass yields the same JSON as the writing one: `preparing` only makes a cross-stack
 * `Reference` register its output and remote state first, and it resolves to that same
 * cross-stack identifier afterwards. So the prepared JSON of each element is kept and reused
 * when the stack is assembled.
 *
 * The last resolve of the assembled JSON is skipped too when it can change nothing: resolving
 * is recursive, so every resolved fragment is free of tokens, and resolving token-free JSON only
 * drops `undefined` values. The one part of the JSON that is not resolved before is the stack's
 * own overrides (`stack.addOverride`), which may hold tokens; a stack that has some gets the
 * last resolve as in cdktf.
 *
 * What this relies on, and what checks it:
 * - Nothing changes an existing element between `prepareStack` and the write. cdktf runs the
 *   Aspects in between; the platform's Aspects (alarm coverage, guardrails) only add elements
 *   and validations. Elements added after the preparing pass (alarms, cross-stack outputs) are
 *   not in the map and are resolved when the stack is assembled.
 * - `assembleStackJson` is cdktf 0.21.0's `TerraformStack.toTerraform` (cdktf is archived at
 *   that version) with the prepared fragments put in. __tests__/stacks/resolve-once.test.ts
 *   compares every shipped stack, byte for byte, with cdktf's own `toTerraform` after a synth.
 */
import { TerraformElement, TerraformOutput, TerraformStack } from 'cdktf';
import { resolve } from 'cdktf/lib/_tokens';
import { deepMerge } from 'cdktf/lib/util';
import type { IConstruct } from 'constructs';

/** Resolved JSON of each element of a stack, from the preparing pass. */
export type PreparedElements = ReadonlyMap<TerraformElement, unknown>;

/** The fields of cdktf's TerraformStack that its toTerraform reads and its typings keep private. */
interface StackInternals {
  readonly rawOverrides: Record<string, unknown>;
  readonly cdktfVersion: string;
}

/** The Terraform elements of `stack`, not descending into nested stacks (cdktf's order). */
export function terraformElements(node: IConstruct, into: TerraformElement[] = []): TerraformElement[] {
  if (TerraformElement.isTerraformElement(node)) into.push(node);
  for (const child of node.node.children) {
    if (TerraformStack.isStack(child)) continue;
    terraformElements(child, into);
  }
  return into;
}

/** cdktf's preparing pass (`TerraformStack.prepareStack`), keeping what each element resolved to. */
export function prepareElements(stack: TerraformStack): PreparedElements {
  stack.ensureBackendExists();
  const prepared = new Map<TerraformElement, unknown>();
  // A preparing resolve may add elements (cross-stack outputs and remote state); the list is
  // taken first, as cdktf does, and the added ones are resolved when the stack is assembled.
  for (const element of terraformElements(stack)) prepared.set(element, resolve(stack, element.toTerraform(), true));
  return prepared;
}

/** The stack's Terraform JSON, as `TerraformStack.toTerraform` builds it, reusing `prepared`. */
export function assembleStackJson(stack: TerraformStack, prepared: PreparedElements): { [key: string]: unknown } {
  const { rawOverrides, cdktfVersion } = stack as unknown as StackInternals;
  const tf: { [key: string]: unknown } = {};
  const metadata: { [key: string]: unknown } = {
    version: cdktfVersion,
    stackName: stack.node.id,
    backend: 'local', // overwritten by the backend's own metadata
    cloud: undefined,
    ...(Object.keys(rawOverrides).length > 0 ? { overrides: { stack: Object.keys(rawOverrides) } } : {}),
  };
  const elements = terraformElements(stack);
  for (const element of elements) deepMerge(metadata, resolve(stack, element.toMetadata()));
  const outputs = {};
  for (const element of elements) {
    if (!TerraformOutput.isTerraformOutput(element)) continue;
    const nested = element.node.path
      .split('/')
      .reduceRight<Record<string, unknown>>((inner, part) => (Object.keys(inner).length === 0 ? { [part]: element.friendlyUniqueId } : { [part]: inner }), {});
    deepMerge(outputs, nested);
  }
  tf['//'] = { metadata, outputs };
  for (const element of elements) deepMerge(tf, prepared.has(element) ? prepared.get(element) : resolve(stack, element.toTerraform()));
  if (Object.keys(rawOverrides).length > 0) {
    deepMerge(tf, rawOverrides);
    return resolve(stack, tf);
  }
  // What the last resolve would do to token-free JSON: drop the keys left undefined.
  if (metadata.cloud === undefined) delete metadata.cloud;
  return tf;
}
