/**
 * Real Terraform, offline, for every synthesized stack: `terraform test` with mocked AWS providers
 * running plan and apply, after validating the configuration against the real AWS provider's schema
 * and validators; `terraform validate` runs only when the test fails, to tell which stacks are invalid.
 * Each runs once over a root that holds all stacks (see check-workspace.ts).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AWS_PROVIDER_VERSION, mirrorProblem, resolveProviderSource, writeCliConfig, type ProviderSource } from './provider-source';
import { runTerraform, terraformProblem, type TerraformRun } from './terraform-cli';
import { synthesizedStacks, writeCheckWorkspace, type CheckedStack } from './check-workspace';
import { loadProviderSchema, type AttributeTypes, type ProviderSchema } from './provider-schema';

export const DEFAULT_CHECK_DIR = '.terraform-checks';
/** The mocked plan/apply verdict of a stack that failed validation. */
export const NOT_PLANNED = 'not planned: terraform test cannot run a stack that fails terraform validate';

export interface VerifyOptions {
  /** Synthesized output. @default 'cdktf.out' */
  readonly outdir?: string;
  /** Scratch root of the checks (kept between runs so `init` is quick). @default '.terraform-checks' */
  readonly workdir?: string;
  /** Only these stacks. @default - every synthesized stack */
  readonly stacks?: readonly string[];
  /** Terraform roots run in parallel. @default - TF_CHECK_SHARDS, else the number of cores (at most 4) */
  readonly shards?: number;
}

export const SHARDS_ENV = 'TF_CHECK_SHARDS';
const MAX_DEFAULT_SHARDS = 4;

export interface StackVerdict {
  readonly stack: string;
  /** Error diagnostics of `terraform validate`. */
  readonly validateErrors: readonly string[];
  /** Error diagnostics of `terraform test` (mocked plan and apply). */
  readonly testErrors: readonly string[];
}

export interface Verification {
  readonly stacks: readonly StackVerdict[];
  /** Errors Terraform did not tie to one stack. */
  readonly otherErrors: readonly string[];
  readonly testsPassed: boolean;
  /** Wall time of each step; `validate` is 0 when every `terraform test` passed (validate did not run). */
  readonly durationsMs: Readonly<Record<'init' | 'validate' | 'test', number>>;
}

/** Thrown when the machine cannot run the checks at all; the message says what to install or set. */
export class TerraformSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TerraformSetupError';
  }
}

/** What stops the checks from running here, or undefined when they can run. */
export function setupProblem(source: ProviderSource = resolveProviderSource()): string | undefined {
  return terraformProblem() ?? mirrorProblem(source);
}

export async function verifyStacks(options: VerifyOptions = {}): Promise<Verification> {
  const outdir = path.resolve(options.outdir ?? 'cdktf.out');
  const workdir = path.resolve(options.workdir ?? DEFAULT_CHECK_DIR);
  const source = resolveProviderSource();
  const problem = setupProblem(source);
  if (problem) throw new TerraformSetupError(problem);
  const stacks = options.stacks ?? synthesizedStacks(outdir);
  const env = { TF_CLI_CONFIG_FILE: writeCliConfig(workdir, source) };
  const shards = partitionByResources(outdir, stacks, options.shards ?? defaultShardCount()).map((members, index) => ({
    members,
    dir: path.join(workdir, `shard-${index}`),
  }));
  const durations = { init: 0, validate: 0, test: 0 };

  await timed(durations, 'init', () =>
    Promise.all(
      shards.map(async (shard) => {
        writeCheckWorkspace(outdir, shard.dir, shard.members);
        const init = await runTerraform(['init', '-input=false', '-backend=false', '-no-color'], { cwd: shard.dir, env });
        if (init.code !== 0) {
          const hint = source.kind === 'registry' ? ' (providers come from the public registry; offline, set TF_PROVIDER_MIRROR to a provider mirror)' : '';
          throw new TerraformSetupError(`terraform init failed${hint}:\n${lastLines(init.stderr || init.stdout)}`);
        }
      }),
    ),
  );
  const schema = await loadProviderSchema(shards[0].dir, env, path.join(workdir, `aws-${AWS_PROVIDER_VERSION}-schema.json`)).catch((error) => {
    throw new TerraformSetupError(error.message);
  });

  const verdicts = await Promise.all(shards.map((shard) => verifyShard(outdir, shard.dir, shard.members, schema, env, durations)));
  return {
    stacks: verdicts.flatMap((v) => v.stacks).sort((a, b) => a.stack.localeCompare(b.stack)),
    otherErrors: verdicts.flatMap((v) => v.otherErrors),
    testsPassed: verdicts.every((v) => v.testsPassed),
    durationsMs: durations,
  };
}

/** Shards run in parallel, one Terraform root each; more than the cores only adds contention. */
function defaultShardCount(): number {
  const fromEnv = Number(process.env[SHARDS_ENV]);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : Math.max(1, Math.min(os.cpus().length, MAX_DEFAULT_SHARDS));
}

/** Splits stacks into `count` groups of about equal resource counts (largest first, into the lightest group). */
export function partitionByResources(outdir: string, stacks: readonly string[], count: number): string[][] {
  const weight = (stack: string) => {
    const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
    return Object.values<Record<string, unknown>>(json.resource ?? {}).reduce((sum, byName) => sum + Object.keys(byName).length, 1);
  };
  const groups = Array.from({ length: Math.max(1, Math.min(count, stacks.length)) }, () => ({ stacks: [] as string[], weight: 0 }));
  for (const { stack, w } of stacks.map((stack) => ({ stack, w: weight(stack) })).sort((a, b) => b.w - a.w || a.stack.localeCompare(b.stack))) {
    const lightest = groups.reduce((min, group) => (group.weight < min.weight ? group : min));
    lightest.stacks.push(stack);
    lightest.weight += w;
  }
  return groups.map((group) => group.stacks.sort());
}

async function verifyShard(
  outdir: string,
  dir: string,
  stacks: readonly string[],
  schema: ProviderSchema,
  env: NodeJS.ProcessEnv,
  durations: Record<'init' | 'validate' | 'test', number>,
): Promise<Omit<Verification, 'durationsMs'>> {
  const checked = writeCheckWorkspace(outdir, dir, stacks, schema);
  const runTest = () => timedMax(durations, 'test', () => runTerraform(['test', '-json', '-no-color'], { cwd: dir, env }));
  const providerErrors: Attributed[] = checked.flatMap((stack) =>
    stack.providerConfigs.flatMap((config) => schema.providerConfigProblems(config).map((text) => ({ stack: stack.stack, text }))),
  );
  const firstTest = await runTest();
  // `terraform test` validates the whole configuration (the provider's validators included) before it plans:
  // when it passes, every stack is valid and `terraform validate` would only start the provider again.
  // When it fails, validate tells which stacks are invalid.
  const invalidConfig =
    firstTest.code === 0
      ? []
      : errorsOfValidate(await timedMax(durations, 'validate', () => runTerraform(['validate', '-json', '-no-color'], { cwd: dir, env })));
  const validateErrors = [...providerErrors, ...invalidConfig.map((e) => attribute(e, checked))];
  const invalid = new Set(validateErrors.map((e) => e.stack).filter((stack): stack is string => stack !== undefined));
  let test = firstTest;
  if (invalid.size > 0) {
    // terraform test refuses to run any stack while one is invalid: test the valid ones again on their own.
    const valid = stacks.filter((stack) => !invalid.has(stack));
    writeCheckWorkspace(outdir, dir, valid, schema);
    test = valid.length > 0 ? await runTest() : { code: 0, stdout: '', stderr: '' };
  }
  const testErrors = errorsOfTest(test).map((e) => attribute(e, checked));
  const byStack = (errors: Attributed[], stack: CheckedStack) => errors.filter((e) => e.stack === stack.stack).map((e) => e.text);
  return {
    stacks: checked.map((stack) => ({
      stack: stack.stack,
      validateErrors: byStack(validateErrors, stack),
      testErrors: invalid.has(stack.stack) ? [NOT_PLANNED] : byStack(testErrors, stack),
    })),
    otherErrors: [...validateErrors, ...testErrors].filter((e) => e.stack === undefined).map((e) => e.text),
    testsPassed: test.code === 0 && invalid.size === 0,
  };
}

interface Diagnostic {
  readonly text: string;
  readonly file?: string;
}
interface Attributed {
  readonly stack?: string;
  readonly text: string;
}

/** Like `timed`, keeping the longest of parallel runs. */
async function timedMax<T>(durations: Record<string, number>, key: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await work();
  } finally {
    durations[key] = Math.max(durations[key], Date.now() - started);
  }
}

async function timed<T>(durations: Record<string, number>, key: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await work();
  } finally {
    durations[key] = Date.now() - started;
  }
}

/** Attribute types of the AWS provider initialized in `workdir` (`terraform providers schema -json`, cached in `cache`). */
export async function attributeTypes(
  workdir: string,
  env: NodeJS.ProcessEnv,
  cache: string = path.join(workdir, '.terraform', 'aws-schema.json'),
): Promise<AttributeTypes> {
  try {
    return (await loadProviderSchema(workdir, env, cache)).attributeType;
  } catch (error) {
    throw new TerraformSetupError((error as Error).message);
  }
}

function diagnosticText(d: any): Diagnostic {
  const where = d.range ? `${d.range.filename}:${d.range.start?.line ?? '?'}` : d.address ?? '';
  const detail = d.detail ? `: ${String(d.detail).split('\n')[0]}` : '';
  return { text: `${d.summary}${detail}${where ? ` (${where})` : ''}`, file: d.range?.filename ?? d.address };
}

function errorsOfValidate(run: TerraformRun): Diagnostic[] {
  try {
    const out = JSON.parse(run.stdout);
    return (out.diagnostics ?? []).filter((d: any) => d.severity === 'error').map(diagnosticText);
  } catch {
    return run.code === 0 ? [] : [{ text: `terraform validate failed: ${lastLines(run.stderr || run.stdout)}` }];
  }
}

function errorsOfTest(run: TerraformRun): Diagnostic[] {
  const errors: Diagnostic[] = [];
  for (const line of run.stdout.split('\n')) {
    if (!line.trim().startsWith('{')) continue;
    const message = JSON.parse(line);
    if (message.type === 'diagnostic' && message.diagnostic?.severity === 'error') {
      const d = diagnosticText(message.diagnostic);
      errors.push({ text: d.text, file: d.file ?? message['@message'] });
    }
  }
  if (errors.length === 0 && run.code !== 0) errors.push({ text: `terraform test failed: ${lastLines(run.stderr || run.stdout)}` });
  return errors;
}

function attribute(diagnostic: Diagnostic, stacks: readonly CheckedStack[]): Attributed {
  const haystack = `${diagnostic.file ?? ''} ${diagnostic.text}`;
  const owner = stacks.find((s) => haystack.includes(`stacks/${s.stack}/`) || haystack.includes(`module.${s.module}.`) || haystack.includes(`module.${s.module} `));
  return { stack: owner?.stack, text: diagnostic.text };
}

function lastLines(text: string, count = 15): string {
  return text.trim().split('\n').slice(-count).join('\n');
}
