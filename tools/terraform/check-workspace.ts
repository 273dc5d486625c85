/**
 * One Terraform root that holds every synthesized stack as a child module, so `terraform
 * validate` and `terraform test` start the AWS provider once for all stacks instead of once per
 * stack (~3 s each).
 *
 * Terraform starts one provider process per provider configuration (~1-3 s each for the AWS
 * provider), so the root has ONE `aws` provider and every stack's provider slots (default and
 * aliases) are passed that one. The stacks' own provider configurations are checked against
 * the provider schema instead (`ProviderSchema.providerConfigProblems`). Per stack, the backend
 * is dropped (checks run on local, in-memory state). The test file mocks the provider, gives
 * every resource type with an ARN an ARN-shaped mock value (the provider validates ARN
 * arguments even under a mock), and overrides each `terraform_remote_state` read with values
 * shaped like the producer's outputs.
 */
import * as fs from 'fs';
import * as path from 'path';
import { mockArn, type AttributeTypes, type ProviderSchema } from './provider-schema';

export const CHECK_TEST_FILE = path.join('tests', 'stacks.tftest.hcl');
const REMOTE_STATE = 'terraform_remote_state';
const SINGLE_REFERENCE = /^\$\{((?:data\.)?[a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\}$/;
const REMOTE_OUTPUT_USE = /data\.terraform_remote_state\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g;

export interface CheckedStack {
  readonly stack: string;
  /** Module name in the check root (`dev-network` -> `dev_network`). */
  readonly module: string;
  /** Path of the stack's JSON inside the check root, as Terraform names it in diagnostics. */
  readonly file: string;
  /** The stack's provider configurations as written, checked against the provider schema. */
  readonly providerConfigs: readonly Readonly<Record<string, unknown>>[];
}

export type { AttributeTypes } from './provider-schema';

/** The parts of a synthesized `cdk.tf.json` the checks read. */
export interface StackJson {
  terraform?: { backend?: Record<string, { key?: string }>; required_providers?: Record<string, Record<string, unknown>> };
  provider?: Record<string, Record<string, unknown>[]>;
  data?: Record<string, Record<string, { config?: { key?: string; [setting: string]: unknown }; [argument: string]: unknown }>>;
  output?: Record<string, { value: unknown }>;
  [key: string]: unknown;
}

export function moduleName(stack: string): string {
  return stack.replace(/[^A-Za-z0-9_]/g, '_');
}

/** The stacks synthesized below `outdir` (`cdktf.out`). */
export function synthesizedStacks(outdir: string): string[] {
  const stacksDir = path.join(outdir, 'stacks');
  if (!fs.existsSync(stacksDir)) throw new Error(`no synthesized stacks in ${stacksDir}: run \`npm run synth\` first`);
  return fs
    .readdirSync(stacksDir)
    .filter((name) => fs.existsSync(path.join(stacksDir, name, 'cdk.tf.json')))
    .sort();
}

/** True when any stack reads another's state (the check then needs the provider schema for mock values). */
export function readsRemoteState(outdir: string, stacks: readonly string[]): boolean {
  return stacks.some((stack) => Object.keys(readStack(outdir, stack).data?.[REMOTE_STATE] ?? {}).length > 0);
}

/** Writes the check root into `workdir` (emptied first) and returns the stacks it holds. */
export function writeCheckWorkspace(outdir: string, workdir: string, stacks: readonly string[], schema?: ProviderSchema): CheckedStack[] {
  for (const entry of fs.existsSync(workdir) ? fs.readdirSync(workdir) : []) {
    if (entry !== '.terraform' && entry !== '.terraform.lock.hcl' && entry !== 'terraform.tfrc') {
      fs.rmSync(path.join(workdir, entry), { recursive: true, force: true });
    }
  }
  fs.mkdirSync(path.join(workdir, 'tests'), { recursive: true });
  const originals = new Map(stacks.map((stack) => [stack, readStack(outdir, stack)]));
  // Producers are looked up among every synthesized stack: a workspace may hold only some of them.
  const everyStack = new Map(synthesizedStacks(outdir).map((stack) => [stack, originals.get(stack) ?? readStack(outdir, stack)]));
  const stackByStateKey = new Map<string, string>();
  for (const [stack, json] of everyStack) {
    const key = Object.values(json.terraform?.backend ?? {})[0]?.key;
    if (key) stackByStateKey.set(key, stack);
  }

  const modules: Record<string, unknown> = {};
  const overrides: string[] = [];
  const checked: CheckedStack[] = [];
  const resourceTypes = new Set<string>();
  let rootProvider: Record<string, unknown> | undefined;

  for (const [stack, original] of originals) {
    const module = moduleName(stack);
    const child: StackJson = JSON.parse(JSON.stringify(original));
    delete child.provider;
    if (child.terraform) delete child.terraform.backend;
    allowTeardown(child);
    const configs = original.provider?.aws ?? [];
    const passed: Record<string, string> = {};
    const aliases: string[] = [];
    for (const config of configs) {
      const alias = config.alias as string | undefined;
      if (alias) aliases.push(`aws.${alias}`);
      passed[alias ? `aws.${alias}` : 'aws'] = 'aws';
      if (!alias && !rootProvider) rootProvider = { ...config };
    }
    const aws = child.terraform?.required_providers?.aws;
    if (aws && aliases.length > 0) aws.configuration_aliases = aliases;
    for (const type of Object.keys((child.resource ?? {}) as Record<string, unknown>)) resourceTypes.add(type);
    const dir = path.join('stacks', stack);
    fs.mkdirSync(path.join(workdir, dir), { recursive: true });
    fs.writeFileSync(path.join(workdir, dir, 'cdk.tf.json'), JSON.stringify(child, null, 2));
    modules[module] = { source: `./${dir}`, providers: passed };
    checked.push({ stack, module, file: path.join(dir, 'cdk.tf.json'), providerConfigs: configs });

    const producerOf = (key: string) => everyStack.get(stackByStateKey.get(key) ?? '');
    for (const [name, values] of remoteStateMocks(original, producerOf, schema?.attributeType)) {
      overrides.push(
        `override_data {\n  target = module.${module}.data.${REMOTE_STATE}.${name}\n  values = { outputs = ${JSON.stringify(values)} }\n}`,
      );
    }
  }

  const root = {
    terraform: { required_providers: { aws: { source: 'hashicorp/aws' } } },
    provider: { aws: [rootProvider ?? { region: 'eu-west-1' }] },
    module: modules,
  };
  fs.writeFileSync(path.join(workdir, 'main.tf.json'), JSON.stringify(root, null, 2));
  const arnMocks = [...resourceTypes]
    .filter((type) => schema?.hasArn(type))
    .sort()
    .map((type) => `  mock_resource "${type}" {\n    defaults = { arn = "${mockArn(type)}" }\n  }`);
  const test = [
    '# Generated: every stack planned and applied against a mocked AWS provider.',
    `mock_provider "aws" {\n${arnMocks.join('\n')}\n}`,
    ...overrides,
    // `command = apply` plans first, so one run covers plan and apply (and the teardown destroys).
    'run "plan_and_apply" {\n  command = apply\n}',
  ].join('\n\n');
  fs.writeFileSync(path.join(workdir, CHECK_TEST_FILE), `${test}\n`);
  return checked;
}

/**
 * `terraform test` destroys what it applied; `prevent_destroy` guards real state, not the
 * in-memory mock, so the check copy drops it (the synthesized stack keeps it).
 */
function allowTeardown(json: StackJson): void {
  for (const byName of Object.values((json.resource ?? {}) as Record<string, Record<string, { lifecycle?: Record<string, unknown> }>>)) {
    for (const resource of Object.values(byName)) {
      if (resource.lifecycle) delete resource.lifecycle.prevent_destroy;
    }
  }
}

function readStack(outdir: string, stack: string): StackJson {
  return JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
}

/**
 * Stand-in outputs for every `terraform_remote_state` a stack reads: per data source, the outputs
 * the stack uses, each shaped like the producer's output (found by state key; `attributeTypes`
 * types the values of single-attribute references). Shared by the check workspace (override_data)
 * and offline plans (tools/plan/run-plans.ts: the data source's `defaults`).
 */
export function remoteStateMocks(
  consumer: StackJson,
  producerOf: (stateKey: string) => StackJson | undefined,
  attributeTypes?: AttributeTypes,
): Map<string, Record<string, unknown>> {
  const mocks = new Map<string, Record<string, unknown>>();
  for (const [name, outputs] of remoteStateUses(consumer)) {
    const producerKey = consumer.data?.[REMOTE_STATE]?.[name]?.config?.key;
    const producer = producerKey ? producerOf(producerKey) : undefined;
    mocks.set(
      name,
      Object.fromEntries([...outputs].sort().map((output) => [output, mockValue(producer?.output?.[output]?.value, output, attributeTypes)])),
    );
  }
  return mocks;
}

/** Remote-state data sources of a stack and the outputs it reads from each. */
export function remoteStateUses(json: StackJson): Map<string, Set<string>> {
  const uses = new Map<string, Set<string>>();
  for (const name of Object.keys(json.data?.[REMOTE_STATE] ?? {})) uses.set(name, new Set());
  for (const match of JSON.stringify(json).matchAll(REMOTE_OUTPUT_USE)) uses.get(match[1])?.add(match[2]);
  return uses;
}

/** A stand-in of the right shape for a producer output: lists stay lists, ARNs look like ARNs. */
function mockValue(producerValue: unknown, name: string, attributeTypes?: AttributeTypes): unknown {
  if (Array.isArray(producerValue)) return producerValue.map((item, index) => mockValue(item, `${name}_${index}`, attributeTypes));
  if (producerValue && typeof producerValue === 'object') {
    return Object.fromEntries(Object.entries(producerValue).map(([key, item]) => [key, mockValue(item, key, attributeTypes)]));
  }
  if (typeof producerValue === 'string') {
    const reference = SINGLE_REFERENCE.exec(producerValue);
    if (reference && attributeTypes) return mockOfType(attributeTypes(reference[1], reference[3]), reference[3]);
  }
  return mockString(name);
}

function mockOfType(type: unknown, attribute: string): unknown {
  if (type === 'number') return 1;
  if (type === 'bool') return true;
  if (Array.isArray(type) && (type[0] === 'list' || type[0] === 'set')) return [mockOfType(type[1], attribute)];
  if (Array.isArray(type) && type[0] === 'map') return { mock: mockOfType(type[1], attribute) };
  return mockString(attribute);
}

function mockString(name: string): string {
  if (/arn/i.test(name)) return 'arn:aws:mock:eu-west-1:123456789012:mock/value';
  if (/cidr/i.test(name)) return '10.255.0.0/16';
  return `mock-${name}`;
}
