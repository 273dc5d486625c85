/**
 * Protection, declared by the constructs that know what they hold: `protect(resource, reason)`
 * marks a resource (or every resource inside a construct) whose destruction loses data or
 * breaks what other stacks stand on. The stack records the declarations in its synthesized JSON,
 * under the Terraform comment property `//` (ignored by Terraform):
 *
 * ```json
 * "//": { "protection": { "environment": "dev", "resources": { "aws_kms_key.secrets_key": "encrypts every secret of the environment" } } }
 * ```
 *
 * `check-protected` (tools/plan/protected.ts) reads that record, from the head commit's synth
 * and the base commit's (a resource or stack removed by a pull request is only declared in the
 * base), and stops an apply that deletes or replaces one of them unless the pull request carries
 * the label `allow-destroy:<environment>`. This is the only protection mechanism of the platform.
 */
import { Lazy, TerraformResource, type TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';

/** Metadata type of a protection declaration on a construct node. */
export const PROTECTION_METADATA = 'platform:protected';
/** Key of the protection record inside the synthesized stack's `//` comment property. */
export const PROTECTION_JSON_KEY = 'protection';

/** The protection record of one synthesized stack. */
export interface ProtectionRecord {
  /** Environment the stack belongs to: the override label is `allow-destroy:<environment>`. */
  readonly environment: string;
  /** Terraform address (`type.name`) -> why it is protected. */
  readonly resources: Readonly<Record<string, string>>;
}

/**
 * Declares that deleting or replacing `target` loses data or breaks other stacks. A construct
 * protects every resource inside it; the innermost declaration's reason wins.
 * @throws when the reason is empty: a reviewer reading the refusal must learn why
 */
export function protect(target: IConstruct, reason: string): void {
  if (!reason.trim()) {
    throw new Error(`protect(${target.node.path}): give a reason (what is lost when it is destroyed), got an empty string`);
  }
  target.node.addMetadata(PROTECTION_METADATA, reason.trim());
}

function declaredReason(resource: IConstruct, stack: TerraformStack): string | undefined {
  for (const scope of [...resource.node.scopes].reverse()) {
    if (scope === stack) return undefined;
    const entry = scope.node.metadata.find((m) => m.type === PROTECTION_METADATA);
    if (entry) return String(entry.data);
  }
  return undefined;
}

/** Address -> reason of every protected resource of the stack, sorted by address. */
export function protectedResources(stack: TerraformStack): Record<string, string> {
  const found: [string, string][] = [];
  for (const construct of stack.node.findAll()) {
    if (!TerraformResource.isTerraformResource(construct)) continue;
    const reason = declaredReason(construct, stack);
    if (reason !== undefined) found.push([`${construct.terraformResourceType}.${construct.friendlyUniqueId}`, reason]);
  }
  return Object.fromEntries(found.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Makes the stack write its protection record into its synthesized JSON (`"//".protection`), as a
 * stack override resolved at synth, when every construct has declared what it protects.
 */
export function recordProtection(stack: TerraformStack, environment: string): void {
  const record = Lazy.anyValue({ produce: (): ProtectionRecord => ({ environment, resources: protectedResources(stack) }) });
  stack.addOverride(`//.${PROTECTION_JSON_KEY}`, record);
}
