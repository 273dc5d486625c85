/**
 * Meta-arguments (`depends_on`, `provider`, `lifecycle { ignore_changes }`) as Terraform expects
 * them in HCL.
 *
 * cdktf's HCL writer (`cdktf synth --hcl`) writes their references as strings:
 * `depends_on = ["aws_iam_role.task"]`, `provider = "aws.us_east_1"`,
 * `ignore_changes = ["desired_count"]`, the Terraform 0.11 syntax. Terraform still reads it but
 * warns "Quoted references are deprecated" for every one, and will stop reading it. The JSON
 * writer needs those strings (JSON has no bare references), so the elements keep them, and only
 * when a stack is written as HCL does each element get overrides holding the bare expressions,
 * which the HCL writer copies as they are: a string starting with `[` for lists, a value marked
 * as a reference for `provider`.
 */
import { TerraformOutput, type TerraformElement, type TerraformStack } from 'cdktf';
import { resolve } from 'cdktf/lib/_tokens';
import { terraformElements } from './resolve-once';

/** The part of a resource or data source this reads (cdktf types it on each class). */
interface MetaArguments {
  readonly dependsOn?: readonly unknown[];
  readonly provider?: { readonly fqn: string };
  readonly lifecycle?: { readonly ignoreChanges?: readonly string[] | string };
}

/** Overrides each element's meta-arguments with bare references. Call only to write HCL. */
export function writeMetaArgumentsAsReferences(stack: TerraformStack): void {
  for (const element of terraformElements(stack)) {
    const { dependsOn, provider, lifecycle } = element as unknown as MetaArguments;
    if (Array.isArray(dependsOn) && dependsOn.length > 0) {
      element.addOverride('depends_on', bareList(dependsOn.map((dependency) => dependencyAddress(stack, element, dependency))));
    }
    if (provider && !TerraformOutput.isTerraformOutput(element)) {
      element.addOverride('provider', { value: String(resolve(stack, provider.fqn)), isBlock: false, type: 'simple', storageClassType: 'reference' });
    }
    if (Array.isArray(lifecycle?.ignoreChanges) && lifecycle.ignoreChanges.length > 0) {
      element.addOverride('lifecycle.ignore_changes', bareList(lifecycle.ignoreChanges));
    }
  }
}

/** `[a, b]`: the HCL writer copies a string that starts with `[` unquoted. */
function bareList(references: readonly string[]): string {
  return `[${references.join(', ')}]`;
}

/** The address an element depends on (`aws_iam_role.task`). */
function dependencyAddress(stack: TerraformStack, element: TerraformElement, dependency: unknown): string {
  // Outputs keep the constructs; resources and data sources keep tokens that resolve to the address.
  if (TerraformOutput.isTerraformOutput(element)) return String(resolve(stack, (dependency as { fqn: string }).fqn));
  return String(resolve(stack, dependency));
}

/** Keys of the `terraform` block cdktf's HCL writer renders as blocks; it gets every other setting wrong. */
const TERRAFORM_BLOCKS = new Set(['required_providers', 'backend', 'cloud']);

/**
 * cdktf's HCL writer renders the `terraform` block's plain settings (`required_version`) by
 * index, `0 = "required_version"`, which Terraform rejects. The stack's own settings (its
 * `terraform.*` overrides) are written back in their place, by name and value.
 */
export function withTerraformSettings(hcl: string, terraform: Readonly<Record<string, unknown>> = {}): string {
  const settings = Object.keys(terraform).filter((key) => !TERRAFORM_BLOCKS.has(key));
  return settings.reduce((text, key, index) => text.replace(`\n  ${index} = "${key}"\n`, `\n  ${key} = ${JSON.stringify(terraform[key])}\n`), hcl);
}
