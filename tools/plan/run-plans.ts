/**
 * Plans synthesized stacks with the real terraform binary, several at a time:
 *
 *   <plans-dir>/work/<stack>/   a copy of cdktf.out/stacks/<stack>/ (rewritten for --offline or
 *                               --read-only, see plan-config.ts), where init and plan run; kept,
 *                               so `terraform -chdir=<plans-dir>/work/<stack> apply <planfile>` works
 *   <plans-dir>/<stack>.tfplan  the plan file (`terraform plan -out`)
 *   <plans-dir>/<stack>.json    `terraform show -json` of it (checked with plan-json.ts)
 *   <plans-dir>/<stack>.log     what init, plan and show printed
 *
 * The provider comes from tools/terraform/provider-source.ts (TF_PROVIDER_MIRROR, /opt/tf-plugins,
 * else the registry) through a generated CLI config.
 *
 * Stacks that read each other's state (stack-graph.ts) are planned producers first. A reader is
 * planned against its producer's plan (from this run, or `producerPlans` from an earlier one): an
 * output the producer's state does not have yet (the producer plan creates it, for example the
 * subnet of a new availability zone) is given to the reader's `terraform_remote_state` as a
 * `defaults` entry, holding the producer's planned value when it is known and a placeholder when
 * it is known only after apply. Terraform uses `defaults` only for outputs the state lacks, so the
 * real state still wins for every output it has. The plan then does not fail with
 * `Unsupported attribute`, and the result lists the reader values that wait for the producer's
 * apply (`waits`, also in `<stack>.waits.json`): new outputs, and outputs the producer plan
 * changes (the reader plan shows their current value). apply re-plans the reader after its
 * producer, and compare-plans accepts exactly the differences those outputs explain.
 *
 * Destroys go reader-first: with `deletionsOf` (the reviewed plans), a stack is planned with
 * `-target` for each resource its reviewed plan only deletes, and not at all when there is none.
 * apply runs these deletion plans in reverse apply order (readers first: a service leaves a subnet
 * before the subnet goes, or AWS refuses with DependencyViolation), then the full plans in apply
 * order; compare-plans accepts both, as parts of the reviewed plan.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { AttributeTypes, StackJson } from '../terraform/check-workspace';
import { AWS_PROVIDER_VERSION, mirrorProblem, resolveProviderSource, writeCliConfig } from '../terraform/provider-source';
import { runTerraform, terraformProblem, type TerraformRun } from '../terraform/terraform-cli';
import { loadProviderSchema } from '../terraform/provider-schema';
import { PlanToolError, failureLine } from './cli-support';
import { EMPTY_STATE, OFFLINE_REMOTE_STATE_FILE, offlineConfig, readOnlyConfig, readsRemoteState } from './plan-config';
import { addressOf, parsePlanJson, type PlanJson } from './plan-json';
import { StackGraph, stateName } from './stack-graph';
import { remoteStateMocks } from '../terraform/check-workspace';
import { summarizePlan, type ChangeCounts } from './summarize';

export const DEFAULT_PLANS_DIR = '.plans';
export const DEFAULT_PARALLEL = 2;
const STACK_FILE = 'cdk.tf.json';
/** A stack name is a directory name below cdktf.out/stacks: no path separators. */
const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** Kept in a work dir between runs, so a second init is quick and offline state survives. */
const KEPT_IN_WORK_DIR = new Set(['.terraform', '.terraform.lock.hcl', 'terraform.tfstate']);

export interface PlanRunOptions {
  readonly stacks: readonly string[];
  /** Synthesized output. @default 'cdktf.out' */
  readonly outdir?: string;
  /** Where work dirs, plan files, JSON and logs go. @default '.plans' */
  readonly plansDir?: string;
  /** Local state, stub credentials, remote-state stand-ins, `-refresh=false`. @default false */
  readonly offline?: boolean;
  /** Deploy role -> read-only plan role rewrites (see plan-config.ts `readOnlyConfig`). @default - providers unchanged */
  readonly planRoles?: ReadonlyMap<string, string>;
  /** Stacks planned at the same time. @default 2 */
  readonly parallel?: number;
  /** `terraform plan -detailed-exitcode`: tells "no changes" from "changes" (drift checks). @default false */
  readonly detailedExitcode?: boolean;
  /** `terraform plan -destroy`: plan the removal of everything in the stack's state (removed stacks). @default false */
  readonly destroy?: boolean;
  /**
   * Plan JSON of producer stacks planned in an earlier run (stack -> file), for readers planned in
   * this one. Producers planned in this run are used without being named. @default - none
   */
  readonly producerPlans?: ReadonlyMap<string, string>;
  /**
   * Reviewed plan JSON per stack: plan only the resources it deletes (`-target` each), and skip a
   * stack whose reviewed plan deletes nothing (reader-first deletion pass). @default - full plans
   */
  readonly deletionsOf?: ReadonlyMap<string, string>;
  /**
   * Cache of the AWS provider schema (offline remote-state stand-ins are typed with it; reading it
   * costs a few seconds). @default '<plans-dir>/aws-schema-<provider version>.json'
   */
  readonly schemaCache?: string;
  /** Called when a stack's plan starts. @default - nothing */
  readonly onStart?: (stack: string) => void;
  /** Called when a stack's plan ends. @default - nothing */
  readonly onResult?: (result: StackPlanResult) => void;
}

export interface StackPlanResult {
  readonly stack: string;
  readonly ok: boolean;
  /** Set when the plan ran: whether it has changes (resource, output or drift). */
  readonly hasChanges?: boolean;
  readonly counts?: ChangeCounts;
  readonly workDir: string;
  readonly planFile: string;
  readonly jsonFile: string;
  readonly logFile: string;
  /** Why the plan failed, one line. */
  readonly error?: string;
  readonly durationMs: number;
  /** Values this stack reads that wait for a producer's apply. @default - none */
  readonly waits?: readonly WaitingValue[];
}

/** A remote-state output a reader's plan could not use as it will be: it waits for the producer's apply. */
export interface WaitingValue {
  readonly producer: string;
  /** `data.terraform_remote_state.<name>.outputs.<output>` */
  readonly reference: string;
  /**
   * `new`: the producer's state lacks it; planned with the producer's planned value (`planned`) or
   * a placeholder (`placeholder`: known after the producer's apply, or sensitive).
   * `changing`: the producer plan changes it; the reader plan used its current value.
   */
  readonly kind: 'new' | 'changing';
  readonly plannedWith: 'planned' | 'placeholder' | 'current';
}

/** The synthesized stacks of `outdir`; a one-line error for any of `stacks` that is not among them. */
export function checkStacks(outdir: string, stacks: readonly string[]): void {
  if (stacks.length === 0) throw new PlanToolError('no stacks given; pass the names of synthesized stacks, for example `npm run plan -- dev-network`');
  for (const stack of stacks) {
    if (!STACK_NAME.test(stack)) throw new PlanToolError(`stack name "${stack}" is not allowed; use letters, digits, ".", "_", "-" only`);
  }
  const known = fs.existsSync(path.join(outdir, 'stacks'))
    ? fs.readdirSync(path.join(outdir, 'stacks')).filter((name) => fs.existsSync(path.join(outdir, 'stacks', name, STACK_FILE)))
    : [];
  if (known.length === 0) throw new PlanToolError(`${outdir} holds no synthesized stacks; run \`npm run synth\` first`);
  const unknown = stacks.filter((stack) => !known.includes(stack));
  if (unknown.length > 0) {
    throw new PlanToolError(
      `unknown stack${unknown.length > 1 ? 's' : ''} ${unknown.map((s) => `"${s}"`).join(', ')}: ${outdir} holds ${known.sort().join(', ')} (\`npm run synth\` after adding a stack)`,
    );
  }
  const repeated = stacks.find((stack, index) => stacks.indexOf(stack) !== index);
  if (repeated) throw new PlanToolError(`stack "${repeated}" is given more than once`);
}

export async function runPlans(options: PlanRunOptions): Promise<StackPlanResult[]> {
  const outdir = path.resolve(options.outdir ?? 'cdktf.out');
  const plansDir = path.resolve(options.plansDir ?? DEFAULT_PLANS_DIR);
  const parallel = options.parallel ?? DEFAULT_PARALLEL;
  if (!Number.isInteger(parallel) || parallel < 1) throw new PlanToolError(`--parallel ${parallel} is not a positive whole number`);
  checkStacks(outdir, options.stacks);
  const problem = terraformProblem();
  if (problem) throw new PlanToolError(problem);
  const source = resolveProviderSource();
  if (options.offline) {
    if (source.kind === 'registry') {
      throw new PlanToolError('--offline needs a provider mirror: set TF_PROVIDER_MIRROR to a `terraform providers mirror` directory');
    }
    const mirror = mirrorProblem(source);
    if (mirror) throw new PlanToolError(mirror);
  }
  fs.mkdirSync(plansDir, { recursive: true });
  const env = { TF_CLI_CONFIG_FILE: writeCliConfig(plansDir, source), ...(options.offline ? { AWS_EC2_METADATA_DISABLED: 'true' } : {}) };
  const stacks = readAllStacks(outdir);
  const graph = new StackGraph(stacks);
  const producerPlans = new Map(options.producerPlans ?? []);
  const context: PlanContext = { outdir, plansDir, env, stacks, graph, producerPlans, options, types: undefined };

  // Producers first: each wave holds stacks whose producers (in this run) are in earlier waves.
  const byStack = new Map<string, StackPlanResult>();
  for (const wave of graph.waves(options.stacks)) {
    let next = 0;
    const worker = async () => {
      while (next < wave.length) {
        const stack = wave[next++];
        options.onStart?.(stack);
        const result = await planStack(stack, context);
        byStack.set(stack, result);
        if (result.ok && !options.destroy) producerPlans.set(stack, result.jsonFile);
        options.onResult?.(result);
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallel, wave.length) }, worker));
  }
  return options.stacks.map((stack) => byStack.get(stack)!);
}

interface PlanContext {
  readonly outdir: string;
  readonly plansDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly stacks: ReadonlyMap<string, StackJson>;
  readonly graph: StackGraph;
  /** Producer stack -> its plan JSON file (earlier runs, and stacks of this run once planned). */
  readonly producerPlans: Map<string, string>;
  readonly options: PlanRunOptions;
  /** Provider attribute types, loaded once by the first offline stack that reads remote state. */
  types: Promise<AttributeTypes> | undefined;
}

async function planStack(stack: string, context: PlanContext): Promise<StackPlanResult> {
  const started = Date.now();
  const { plansDir, options } = context;
  const workDir = path.join(plansDir, 'work', stack);
  const files = {
    workDir,
    planFile: path.join(plansDir, `${stack}.tfplan`),
    jsonFile: path.join(plansDir, `${stack}.json`),
    logFile: path.join(plansDir, `${stack}.log`),
  };
  const waitsFile = path.join(plansDir, `${stack}.waits.json`);
  for (const file of [files.planFile, files.jsonFile, waitsFile]) fs.rmSync(file, { force: true });
  let waits: WaitingValue[] = [];
  const log: string[] = [];
  const finish = (result: Omit<StackPlanResult, 'stack' | 'durationMs' | keyof typeof files>): StackPlanResult => {
    fs.writeFileSync(files.logFile, `${log.join('\n')}\n`);
    return { stack, ...files, ...result, durationMs: Date.now() - started };
  };
  const step = async (name: string, args: string[]): Promise<TerraformRun> => {
    const begun = Date.now();
    const run = await runTerraform(args, { cwd: workDir, env: context.env });
    log.push(`$ terraform ${args.join(' ')}   (exit ${run.code}, ${Date.now() - begun} ms)`, run.stdout.trimEnd(), run.stderr.trimEnd());
    if (run.code !== 0 && !(name === 'plan' && options.detailedExitcode && run.code === 2)) {
      throw new PlanToolError(`terraform ${name} failed: ${failureLine(run.stderr || run.stdout)}`);
    }
    return run;
  };

  const targets = options.deletionsOf ? deletedAddresses(stack, options.deletionsOf) : [];
  if (options.deletionsOf && targets.length === 0) {
    log.push(`# the reviewed plan deletes nothing in ${stack}: no deletion plan`);
    return finish({ ok: true, hasChanges: false, counts: summarizePlan(stack, { format_version: '1.2', resource_changes: [] }).counts });
  }
  try {
    const original = context.stacks.get(stack)!;
    prepareWorkDir(path.join(context.outdir, 'stacks', stack), workDir, options.offline ?? false);
    const write = (types?: AttributeTypes) => {
      const rewritten = rewrite(stack, original, context, types);
      const withProducers = options.offline || options.destroy ? { ...rewritten, waits: [] } : producerDefaults(stack, rewritten.json, context, types);
      waits = withProducers.waits;
      fs.writeFileSync(path.join(workDir, STACK_FILE), JSON.stringify(withProducers.json, null, 2));
      return [...rewritten.notes, ...waits.map(waitNote)];
    };
    log.push(...write().map((note) => `# ${note}`));
    await step('init', ['init', '-input=false', '-no-color']);
    if (options.offline && readsRemoteState(original)) {
      context.types ??= loadProviderSchema(
        workDir,
        context.env,
        options.schemaCache ?? path.join(context.plansDir, `aws-schema-${AWS_PROVIDER_VERSION}.json`),
      ).then((schema) => schema.attributeType);
      write(await context.types);
    }
    const plan = await step('plan', [
      'plan',
      '-input=false',
      '-no-color',
      `-out=${files.planFile}`,
      ...(options.offline ? ['-refresh=false'] : []),
      ...(options.destroy ? ['-destroy'] : []),
      ...targets.map((address) => `-target=${address}`),
      ...(options.detailedExitcode ? ['-detailed-exitcode'] : []),
    ]);
    const shown = Date.now();
    const show = await runTerraform(['show', '-json', files.planFile], { cwd: workDir, env: context.env });
    log.push(`$ terraform show -json ${files.planFile}   (exit ${show.code}, ${Date.now() - shown} ms)`, show.stderr.trimEnd());
    if (show.code !== 0) throw new PlanToolError(`terraform show -json failed: ${failureLine(show.stderr)}`);
    fs.writeFileSync(files.jsonFile, show.stdout);
    const summary = summarizePlan(stack, parsePlanJson(show.stdout, files.jsonFile));
    const counted = summary.changes.length + summary.outputs.length + summary.drift.length > 0;
    if (waits.length > 0) fs.writeFileSync(waitsFile, `${JSON.stringify(waits, null, 2)}\n`);
    return finish({
      ok: true,
      hasChanges: options.detailedExitcode ? plan.code === 2 : counted,
      counts: summary.counts,
      ...(waits.length > 0 ? { waits } : {}),
    });
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ');
    log.push(`# failed: ${message}`);
    return finish({ ok: false, error: message });
  }
}

function rewrite(stack: string, original: StackJson, context: PlanContext, types?: AttributeTypes) {
  if (context.options.offline) {
    const producers = new Map<string, StackJson>();
    for (const json of context.stacks.values()) {
      const key = Object.values(json.terraform?.backend ?? {})[0]?.key;
      if (key) producers.set(key, json);
    }
    return offlineConfig(original, { producerOf: (key) => producers.get(key), attributeTypes: types });
  }
  if (context.options.planRoles) return readOnlyConfig(original, context.options.planRoles, stack);
  return { json: original, notes: [] };
}

/** The resource instances the reviewed plan of `stack` only deletes (no replacement, no deposed object). */
function deletedAddresses(stack: string, reviewed: ReadonlyMap<string, string>): string[] {
  const file = reviewed.get(stack);
  if (!file) throw new PlanToolError(`no reviewed plan of ${stack} to take its deletions from; download the pull request's plans first`);
  return (readProducerPlan(file).resource_changes ?? [])
    .filter((change) => change.change.actions.join() === 'delete' && !change.deposed && change.mode !== 'data')
    .map((change) => addressOf(change))
    .sort();
}

/** One line for the plan log and CLI: which reader value waits for which producer's apply. */
export function waitNote(wait: WaitingValue): string {
  const how = { planned: "planned with the producer's planned value", placeholder: 'planned with a placeholder', current: 'planned with its current value' }[wait.plannedWith];
  return `${wait.reference} waits for ${wait.producer}'s apply (${wait.kind === 'new' ? 'a new output' : 'an output that changes'}, ${how})`;
}

type OutputChange = { actions: string[]; after?: unknown; after_unknown?: unknown; after_sensitive?: unknown };

/**
 * The reader's configuration with `defaults` for the outputs its producers' plans create, and the
 * values that wait for a producer's apply (see the file comment).
 */
export function producerDefaults(
  stack: string,
  json: StackJson,
  context: Pick<PlanContext, 'graph' | 'producerPlans' | 'stacks'>,
  types?: AttributeTypes,
): { json: StackJson; waits: WaitingValue[] } {
  const reads = context.graph.reads.filter((read) => read.reader === stack && context.producerPlans.has(read.producer));
  if (reads.length === 0) return { json, waits: [] };
  const copy: StackJson = JSON.parse(JSON.stringify(json));
  const byState = new Map<string, StackJson>();
  for (const producer of context.stacks.values()) {
    const state = stateName(Object.values(producer.terraform?.backend ?? {})[0]);
    if (state) byState.set(state, producer);
  }
  const placeholders = remoteStateMocks(json, (key) => byState.get(key), types);
  const waits: WaitingValue[] = [];
  for (const read of reads) {
    const plan = readProducerPlan(context.producerPlans.get(read.producer)!);
    const changes = (plan.output_changes ?? {}) as Record<string, OutputChange>;
    const block = copy.data!.terraform_remote_state[read.dataSource] as { defaults?: Record<string, unknown> };
    for (const output of read.outputs) {
      const change = changes[output];
      if (!change || change.actions.every((action) => action === 'no-op')) continue;
      const reference = `data.terraform_remote_state.${read.dataSource}.outputs.${output}`;
      if (change.actions.includes('create')) {
        const known = change.after_unknown !== true && !containsTrue(change.after_unknown) && !containsTrue(change.after_sensitive);
        const value = known ? change.after : placeholders.get(read.dataSource)?.[output];
        block.defaults = { ...(block.defaults ?? {}), [output]: value };
        waits.push({ producer: read.producer, reference, kind: 'new', plannedWith: known ? 'planned' : 'placeholder' });
      } else if (!change.actions.includes('delete')) {
        waits.push({ producer: read.producer, reference, kind: 'changing', plannedWith: 'current' });
      }
    }
  }
  return { json: copy, waits };
}

function containsTrue(value: unknown): boolean {
  if (value === true) return true;
  if (Array.isArray(value)) return value.some(containsTrue);
  return value !== null && typeof value === 'object' && Object.values(value).some(containsTrue);
}

function readProducerPlan(file: string): PlanJson {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new PlanToolError(`the producer plan ${file} cannot be read; plan the producer first (or drop it from --producer-plans)`);
  }
  return parsePlanJson(text, file);
}

/** Copies the synthesized stack dir into the work dir, keeping only init results and local state from earlier runs. */
function prepareWorkDir(source: string, workDir: string, offline: boolean): void {
  fs.mkdirSync(workDir, { recursive: true });
  for (const entry of fs.readdirSync(workDir)) {
    if (!KEPT_IN_WORK_DIR.has(entry)) fs.rmSync(path.join(workDir, entry), { recursive: true, force: true });
  }
  fs.cpSync(source, workDir, { recursive: true });
  if (offline) fs.writeFileSync(path.join(workDir, OFFLINE_REMOTE_STATE_FILE), JSON.stringify(EMPTY_STATE));
}

function readAllStacks(outdir: string): Map<string, StackJson> {
  const stacks = new Map<string, StackJson>();
  for (const name of fs.readdirSync(path.join(outdir, 'stacks'))) {
    const file = path.join(outdir, 'stacks', name, STACK_FILE);
    if (fs.existsSync(file)) stacks.set(name, JSON.parse(fs.readFileSync(file, 'utf8')));
  }
  return stacks;
}
