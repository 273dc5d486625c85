/**
 * Real Terraform, offline, for every synthesized stack: `terraform validate` against the real
 * AWS provider, and `terraform test` with mocked AWS providers running plan and apply.
 * Both run once over a root that holds all stacks (see check-workspace.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { mirrorProblem, resolveProviderSource, writeCliConfig, type ProviderSource } from './provider-source';
import { runTerraform, terraformProblem, type TerraformRun } from './terraform-cli';
import { readsRemoteState, synthesizedStacks, writeCheckWorkspace, type AttributeTypes, type CheckedStack } from './check-workspace';

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
}

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

  let checked = writeCheckWorkspace(outdir, workdir, stacks);
  const durations = { init: 0, validate: 0, test: 0 };
  const init = await timed(durations, 'init', () => runTerraform(['init', '-input=false', '-backend=false', '-no-color'], { cwd: workdir, env }));
  if (init.code !== 0) {
    const hint = source.kind === 'registry' ? ' (providers come from the public registry; offline, set TF_PROVIDER_MIRROR to a provider mirror)' : '';
    throw new TerraformSetupError(`terraform init failed${hint}:\n${lastLines(init.stderr || init.stdout)}`);
  }
  const types = readsRemoteState(outdir, stacks) ? await attributeTypes(workdir, env) : undefined;
  if (types) checked = writeCheckWorkspace(outdir, workdir, stacks, types);
  const [validate, firstTest] = await Promise.all([
    timed(durations, 'validate', () => runTerraform(['validate', '-json', '-no-color'], { cwd: workdir, env })),
    timed(durations, 'test', () => runTerraform(['test', '-json', '-no-color'], { cwd: workdir, env })),
  ]);
  const validateErrors = errorsOfValidate(validate).map((e) => attribute(e, checked));
  const invalid = new Set(validateErrors.map((e) => e.stack).filter((stack): stack is string => stack !== undefined));
  let test = firstTest;
  if (invalid.size > 0) {
    // terraform test refuses to run any stack while one is invalid: test the valid ones again on their own.
    const valid = stacks.filter((stack) => !invalid.has(stack));
    writeCheckWorkspace(outdir, workdir, valid, types);
    test = await timed(durations, 'test', () => runTerraform(['test', '-json', '-no-color'], { cwd: workdir, env }));
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
    durationsMs: durations,
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

async function timed<T>(durations: Record<string, number>, key: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await work();
  } finally {
    durations[key] = Date.now() - started;
  }
}

async function attributeTypes(workdir: string, env: NodeJS.ProcessEnv): Promise<AttributeTypes> {
  const cache = path.join(workdir, '.terraform', 'aws-schema.json');
  if (!fs.existsSync(cache)) {
    const run = await runTerraform(['providers', 'schema', '-json'], { cwd: workdir, env });
    if (run.code !== 0) throw new TerraformSetupError(`terraform providers schema failed:\n${lastLines(run.stderr)}`);
    fs.writeFileSync(cache, run.stdout);
  }
  const schema = JSON.parse(fs.readFileSync(cache, 'utf8'));
  const aws = Object.values<any>(schema.provider_schemas ?? {})[0] ?? {};
  return (address, attribute) => {
    const [kind, type] = address.startsWith('data.') ? ['data_source_schemas', address.slice(5)] : ['resource_schemas', address];
    return aws[kind]?.[type]?.block?.attributes?.[attribute]?.type;
  };
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
