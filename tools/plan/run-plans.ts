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
 */
import * as fs from 'fs';
import * as path from 'path';
import type { AttributeTypes, StackJson } from '../terraform/check-workspace';
import { AWS_PROVIDER_VERSION, mirrorProblem, resolveProviderSource, writeCliConfig } from '../terraform/provider-source';
import { runTerraform, terraformProblem, type TerraformRun } from '../terraform/terraform-cli';
import { loadProviderSchema } from '../terraform/provider-schema';
import { PlanToolError, failureLine } from './cli-support';
import { EMPTY_STATE, OFFLINE_REMOTE_STATE_FILE, offlineConfig, readOnlyConfig, readsRemoteState } from './plan-config';
import { parsePlanJson } from './plan-json';
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
  const context: PlanContext = { outdir, plansDir, env, stacks, options, types: undefined };

  const results: StackPlanResult[] = new Array(options.stacks.length);
  let next = 0;
  const worker = async () => {
    while (next < options.stacks.length) {
      const index = next++;
      options.onStart?.(options.stacks[index]);
      results[index] = await planStack(options.stacks[index], context);
      options.onResult?.(results[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, options.stacks.length) }, worker));
  return results;
}

interface PlanContext {
  readonly outdir: string;
  readonly plansDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly stacks: ReadonlyMap<string, StackJson>;
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
  for (const file of [files.planFile, files.jsonFile]) fs.rmSync(file, { force: true });
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

  try {
    const original = context.stacks.get(stack)!;
    prepareWorkDir(path.join(context.outdir, 'stacks', stack), workDir, options.offline ?? false);
    const write = (types?: AttributeTypes) => {
      const rewritten = rewrite(stack, original, context, types);
      fs.writeFileSync(path.join(workDir, STACK_FILE), JSON.stringify(rewritten.json, null, 2));
      return rewritten.notes;
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
      ...(options.detailedExitcode ? ['-detailed-exitcode'] : []),
    ]);
    const shown = Date.now();
    const show = await runTerraform(['show', '-json', files.planFile], { cwd: workDir, env: context.env });
    log.push(`$ terraform show -json ${files.planFile}   (exit ${show.code}, ${Date.now() - shown} ms)`, show.stderr.trimEnd());
    if (show.code !== 0) throw new PlanToolError(`terraform show -json failed: ${failureLine(show.stderr)}`);
    fs.writeFileSync(files.jsonFile, show.stdout);
    const summary = summarizePlan(stack, parsePlanJson(show.stdout, files.jsonFile));
    const counted = summary.changes.length + summary.outputs.length + summary.drift.length > 0;
    return finish({ ok: true, hasChanges: options.detailedExitcode ? plan.code === 2 : counted, counts: summary.counts });
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
