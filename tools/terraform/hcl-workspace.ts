/**
 * One Terraform root that holds, for every stack, its HCL (`cdktf synth --hcl`, `cdk.tf`) and its
 * JSON (`cdktf synth`, `cdk.tf.json`) as two child modules, `hcl_<stack>` and `json_<stack>`, so
 * that one `terraform validate` checks the HCL of every stack and one offline `terraform plan`
 * shows whether both forms plan the same resources with the same values (`planDifferences`).
 *
 * As in the JSON checks (./check-workspace.ts), the root has ONE AWS provider, passed to every
 * provider slot of every module, so the provider starts once: each module's own provider
 * configurations and backend are removed (an HCL module loses its top-level `provider` blocks and
 * the `backend` block of its `terraform` block, which cdktf writes formatted, one per line range).
 * The provider has stub credentials and makes no AWS call (tools/plan/plan-config.ts), and every
 * `terraform_remote_state` reads an empty local state with stand-in outputs as `defaults`, the
 * same ones in both modules of a stack (an override file in the HCL module).
 */
import * as fs from 'fs';
import * as path from 'path';
import { moduleName, type AttributeTypes, type StackJson } from './check-workspace';
import { EMPTY_STATE, OFFLINE_PROVIDER_SETTINGS, OFFLINE_REMOTE_STATE_FILE, offlineConfig } from '../plan/plan-config';

const HCL_FILE = 'cdk.tf';
const JSON_FILE = 'cdk.tf.json';
/** Terraform merges `*_override.tf.json` into the module's configuration (HCL module only). */
const OVERRIDE_FILE = 'check_override.tf.json';
const REMOTE_STATE = 'terraform_remote_state';
/** cdktf writes top-level blocks from column 0 and closes them with `}` alone on a line. */
const PROVIDER_BLOCK = /^provider "[^"]+" \{\n[\s\S]*?^\}\n?/gm;
const BACKEND_BLOCK = /^ {2}(?:backend "[^"]+"|cloud) \{\n[\s\S]*?^ {2}\}\n?/gm;

export interface HclWorkspaceOptions {
  /** `cdktf synth --hcl` output (holds `stacks/<stack>/cdk.tf`). */
  readonly hclOutdir: string;
  /** `cdktf synth` output of the same code (holds `stacks/<stack>/cdk.tf.json`). */
  readonly jsonOutdir: string;
  /** The root, emptied first (a `.terraform` directory is kept). */
  readonly workdir: string;
  readonly stacks: readonly string[];
  /** Types remote-state stand-ins of single-attribute outputs. @default - strings and lists by shape */
  readonly attributeTypes?: AttributeTypes;
}

export interface HclCheckedStack {
  readonly stack: string;
  readonly hclModule: string;
  readonly jsonModule: string;
  /** The HCL file inside the root, as Terraform names it in diagnostics. */
  readonly hclFile: string;
}

/** Writes the root and returns its modules, one pair per stack. */
export function writeHclWorkspace(options: HclWorkspaceOptions): HclCheckedStack[] {
  const { workdir } = options;
  for (const entry of fs.existsSync(workdir) ? fs.readdirSync(workdir) : []) {
    if (entry !== '.terraform' && entry !== '.terraform.lock.hcl') fs.rmSync(path.join(workdir, entry), { recursive: true, force: true });
  }
  fs.mkdirSync(workdir, { recursive: true });
  fs.writeFileSync(path.join(workdir, OFFLINE_REMOTE_STATE_FILE), JSON.stringify(EMPTY_STATE));
  const jsonOf = (stack: string): StackJson => JSON.parse(fs.readFileSync(path.join(options.jsonOutdir, 'stacks', stack, JSON_FILE), 'utf8'));
  const stateKeys = new Map<string, string>();
  for (const stack of fs.readdirSync(path.join(options.jsonOutdir, 'stacks'))) {
    const key = Object.values(jsonOf(stack).terraform?.backend ?? {})[0]?.key;
    if (key) stateKeys.set(key, stack);
  }
  const producerOf = (key: string) => (stateKeys.has(key) ? jsonOf(stateKeys.get(key)!) : undefined);

  const modules: Record<string, unknown> = {};
  const checked: HclCheckedStack[] = [];
  for (const stack of options.stacks) {
    const original = jsonOf(stack);
    const aliases = (original.provider?.aws ?? []).flatMap((config) => (config.alias ? [`aws.${String(config.alias)}`] : []));
    const providers = Object.fromEntries([['aws', 'aws'], ...aliases.map((alias) => [alias, 'aws'])]);
    const requiredProviders = {
      aws: { ...(original.terraform?.required_providers?.aws ?? {}), ...(aliases.length > 0 ? { configuration_aliases: aliases } : {}) },
    };
    // Remote state stand-ins: the JSON module gets them in place, the HCL module by override.
    const offline = offlineConfig(original, { producerOf, attributeTypes: options.attributeTypes }).json;
    const remoteStates = offline.data?.[REMOTE_STATE] ?? {};

    const json: StackJson = { ...offline, terraform: { ...offline.terraform, required_providers: requiredProviders } };
    delete json.provider;
    delete json.terraform?.backend;
    const jsonDir = path.join('json', stack);
    fs.mkdirSync(path.join(workdir, jsonDir), { recursive: true });
    fs.writeFileSync(path.join(workdir, jsonDir, JSON_FILE), JSON.stringify(json, null, 2));

    const hclDir = path.join('hcl', stack);
    fs.mkdirSync(path.join(workdir, hclDir), { recursive: true });
    const hcl = fs.readFileSync(path.join(options.hclOutdir, 'stacks', stack, HCL_FILE), 'utf8');
    fs.writeFileSync(path.join(workdir, hclDir, HCL_FILE), hcl.replace(PROVIDER_BLOCK, '').replace(BACKEND_BLOCK, ''));
    const override: Record<string, unknown> = { terraform: { required_providers: requiredProviders } };
    if (Object.keys(remoteStates).length > 0) override.data = { [REMOTE_STATE]: remoteStates };
    fs.writeFileSync(path.join(workdir, hclDir, OVERRIDE_FILE), JSON.stringify(override, null, 2));

    const module = moduleName(stack);
    modules[`hcl_${module}`] = { source: `./${hclDir}`, providers };
    modules[`json_${module}`] = { source: `./${jsonDir}`, providers };
    checked.push({ stack, hclModule: `hcl_${module}`, jsonModule: `json_${module}`, hclFile: path.join(hclDir, HCL_FILE) });
  }
  const region = options.stacks.map((stack) => jsonOf(stack).provider?.aws?.[0]?.region).find(Boolean) ?? 'eu-west-1';
  const root = {
    terraform: { required_providers: { aws: { source: 'hashicorp/aws' } } },
    provider: { aws: [{ region, ...OFFLINE_PROVIDER_SETTINGS }] },
    module: modules,
  };
  fs.writeFileSync(path.join(workdir, 'main.tf.json'), JSON.stringify(root, null, 2));
  return checked;
}

/** A resource change of `terraform show -json <planfile>`, the parts compared. */
interface ResourceChange {
  readonly address: string;
  readonly module_address?: string;
  readonly change: { readonly actions: readonly string[]; readonly after?: unknown; readonly after_unknown?: unknown };
}

/**
 * Where the plan of a stack's HCL module differs from its JSON module's: resources only one of
 * them plans, and resources whose actions, planned values or unknown values differ. Empty when
 * both plan the same.
 */
export function planDifferences(plan: { resource_changes?: readonly ResourceChange[] }, stack: HclCheckedStack): string[] {
  const byModule = (module: string) =>
    new Map(
      (plan.resource_changes ?? [])
        .filter((change) => change.module_address === `module.${module}`)
        .map((change) => [change.address.slice(`module.${module}.`.length), change.change] as const),
    );
  const hcl = byModule(stack.hclModule);
  const json = byModule(stack.jsonModule);
  const differences: string[] = [];
  for (const address of new Set([...hcl.keys(), ...json.keys()])) {
    const fromHcl = hcl.get(address);
    const fromJson = json.get(address);
    if (!fromHcl || !fromJson) {
      differences.push(`${stack.stack}: ${address} is planned only from the ${fromHcl ? 'HCL' : 'JSON'}`);
      continue;
    }
    for (const key of ['actions', 'after', 'after_unknown'] as const) {
      const a = JSON.stringify(fromHcl[key]);
      const b = JSON.stringify(fromJson[key]);
      if (a !== b) differences.push(`${stack.stack}: ${address} ${key} differ:\n  HCL:  ${a}\n  JSON: ${b}`);
    }
  }
  return differences;
}
