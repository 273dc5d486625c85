/**
 * Semantic comparison of two synthesized outputs (`<outdir>/stacks/<stack>/cdk.tf.json`): per
 * stack, which Terraform addresses were added, removed or changed. JSON key order and the cdktf
 * `//` metadata are ignored; a resource is its address (`aws_ecs_service.api`), a provider its
 * `provider.aws[.alias]`, an output `output.<name>`.
 *
 * Which stacks differ is decided by the `affected` comparison (tools/plan/affected.ts
 * `compareOutdirs`), so promotion and the pull-request plans agree; this module only breaks a
 * changed stack down by address.
 */
import * as fs from 'fs';
import { compareOutdirs, stacksIn, TERRAFORM_TOP_LEVEL_KEYS } from '../plan/affected';

export interface StackDiff {
  readonly stack: string;
  /** `added`/`removed`: the whole stack is new or gone; `changed`: some addresses differ. */
  readonly status: 'added' | 'removed' | 'changed';
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
}

/** Cdktf's metadata key, present at every level of the JSON. */
const METADATA_KEY = '//';

/** Stacks whose Terraform differs between two synth output directories, by name, each broken down by address. */
export function diffSynthOutputs(beforeOutdir: string, afterOutdir: string): StackDiff[] {
  const before = stacksIn(beforeOutdir);
  const after = stacksIn(afterOutdir);
  return compareOutdirs(beforeOutdir, afterOutdir).map(({ stack, change }) => {
    const old = before.has(stack) ? readJson(before.get(stack)!) : undefined;
    const now = after.has(stack) ? readJson(after.get(stack)!) : undefined;
    return { stack, status: change ?? 'changed', ...diffStackJson(old, now) };
  });
}

/** Addresses added, removed and changed between two cdk.tf.json documents (undefined: no stack). */
export function diffStackJson(before: unknown, after: unknown): Pick<StackDiff, 'added' | 'removed' | 'changed'> {
  const old = addressesOf(before);
  const now = addressesOf(after);
  const added = [...now.keys()].filter((address) => !old.has(address)).sort();
  const removed = [...old.keys()].filter((address) => !now.has(address)).sort();
  const changed = [...now.keys()].filter((address) => old.has(address) && canonical(old.get(address)) !== canonical(now.get(address))).sort();
  return { added, removed, changed };
}

/** Every block of a cdk.tf.json by Terraform address, metadata stripped. */
export function addressesOf(json: unknown): Map<string, unknown> {
  const addresses = new Map<string, unknown>();
  if (json === undefined || json === null || typeof json !== 'object') return addresses;
  const doc = stripMetadata(json) as Record<string, unknown>;
  const each = (block: unknown, visit: (name: string, value: unknown) => void) => {
    if (block && typeof block === 'object') for (const [name, value] of Object.entries(block)) visit(name, value);
  };
  for (const [section, block] of Object.entries(doc)) {
    if (!TERRAFORM_TOP_LEVEL_KEYS.includes(section)) continue;
    switch (section) {
      case 'resource':
        each(block, (type, byName) => each(byName, (name, value) => addresses.set(`${type}.${name}`, value)));
        break;
      case 'data':
        each(block, (type, byName) => each(byName, (name, value) => addresses.set(`data.${type}.${name}`, value)));
        break;
      case 'provider':
        each(block, (type, configs) => {
          for (const config of Array.isArray(configs) ? configs : [configs]) {
            const alias = (config as { alias?: string } | null)?.alias;
            addresses.set(alias ? `provider.${type}.${alias}` : `provider.${type}`, config);
          }
        });
        break;
      case 'output':
        each(block, (name, value) => addresses.set(`output.${name}`, value));
        break;
      case 'locals':
        each(block, (name, value) => addresses.set(`local.${name}`, value));
        break;
      case 'variable':
        each(block, (name, value) => addresses.set(`var.${name}`, value));
        break;
      case 'module':
        each(block, (name, value) => addresses.set(`module.${name}`, value));
        break;
      case 'terraform':
        each(block, (name, value) => {
          if (name === 'backend') each(value, (type, config) => addresses.set(`terraform.backend.${type}`, config));
          else addresses.set(`terraform.${name}`, value);
        });
        break;
      default:
        addresses.set(section, block);
    }
  }
  return addresses;
}

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function stripMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripMetadata);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([key]) => key !== METADATA_KEY)
        .map(([key, child]) => [key, stripMetadata(child)]),
    );
  }
  return value;
}

/** JSON with object keys sorted, so key order never counts as a change. */
function canonical(value: unknown): string {
  const sort = (item: unknown): unknown => {
    if (Array.isArray(item)) return item.map(sort);
    if (item && typeof item === 'object') {
      return Object.fromEntries(Object.keys(item as object).sort().map((key) => [key, sort((item as Record<string, unknown>)[key])]));
    }
    return item;
  };
  return JSON.stringify(sort(value));
}
