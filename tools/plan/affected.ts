/**
 * `npm run --silent affected -- --base <git ref> [--json] [--github-output <file>]`: the stacks
 * whose synthesized Terraform differs between a git ref and the working tree.
 *
 * The ref's tree is exported with `git archive` into a temp dir (read-only for the repository: no
 * worktree entry, nothing to clean up in `.git`), this checkout's node_modules is linked into it,
 * and it is synthesized with its own `tools/synth/cli.ts --outdir` (older trees without that CLI:
 * `main.ts` with `CDKTF_OUTDIR`). The working tree is synthesized the same way (or `--outdir`
 * names a fresh synth). Each stack's cdk.tf.json is compared semantically: parsed, cdktf's `//`
 * metadata and every non-Terraform key dropped, keys sorted; whitespace and key order never count.
 * A stack that appears or disappears counts.
 *
 * On top of the stacks whose configuration differs:
 * - every stack that reads one of them through `terraform_remote_state`, transitively
 *   (stack-graph.ts): a reader plans against its producer's new outputs (`change: 'reader'`);
 * - every stack when the toolchain changed (`TOOLCHAIN_FILES`: the lockfile, cdktf.json, the synth
 *   and TypeScript loader code, the Terraform version): the base is synthesized with this
 *   checkout's node_modules, so a provider or cdktf bump would otherwise mark nothing
 *   (`change: 'toolchain'`).
 * Removed stacks are planned as destroys from the base commit's configuration
 * (`--removed-outdir` keeps it) and destroyed reader-first.
 */
import { spawnSync } from 'child_process';
import { Command } from 'commander';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { failureLine, PlanToolError, PROCESS_IO, runTool, lastLines, type ToolIo } from './cli-support';
import { namesOnlyCatalog, type StackCatalog } from './stack-catalog';
import { StackGraph } from './stack-graph';
import { TERRAFORM_VERSION } from '../../stacks/toolchain';
import { parseIfBaseMissing, refExists, stacksOfEnvironment } from './deployed';

/** Top-level keys of Terraform's JSON configuration syntax; anything else in cdk.tf.json is not configuration. */
export const TERRAFORM_TOP_LEVEL_KEYS: readonly string[] = [
  'terraform',
  'provider',
  'resource',
  'data',
  'output',
  'variable',
  'locals',
  'module',
  'moved',
  'import',
  'removed',
  'check',
];
/** Comment key of Terraform's JSON syntax; cdktf writes its metadata (construct paths, versions) under it. */
const COMMENT_KEY = '//';
/** The synth CLI of a tree (tools/synth/cli.ts); trees without it are synthesized through main.ts. */
const SYNTH_CLI = path.join('tools', 'synth', 'cli.ts');
const LEGACY_APP = 'main.ts';
/** The TypeScript loader of trees that have one (tools/fast-start.cjs). */
const FAST_START = 'tools/fast-start.cjs';
const SYNTH_TIMEOUT_MS = 300_000;

/**
 * Files (or folders, ending in "/") that change what synthesis or Terraform produce without
 * necessarily changing a stack's JSON: a change to any of them affects every stack.
 */
export const TOOLCHAIN_FILES: readonly string[] = [
  'package-lock.json',
  'cdktf.json',
  'tools/synth/',
  'tools/fast-start.cjs',
  'tools/ts-loader.cjs',
  'stacks/toolchain.ts',
];

/**
 * Why a stack is affected: its configuration was `added`, `removed` or `changed`; it reads the
 * state of an affected stack (`reader`); the toolchain changed (`toolchain`).
 */
export type StackChange = ConfigChange | 'reader' | 'toolchain';
/** How a stack's configuration differs between two synths. */
export type ConfigChange = 'added' | 'removed' | 'changed';

export interface AffectedStack {
  readonly stack: string;
  /** @default - not compared (`--all`) */
  readonly change?: StackChange;
  /** For `reader`: the affected stacks it reads; for `toolchain`: the toolchain files that changed. @default - none */
  readonly because?: readonly string[];
}

/** The canonical text of a stack's Terraform configuration: equal texts mean equal configurations. */
export function canonicalConfig(json: unknown): string {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new PlanToolError('a cdk.tf.json is not a JSON object');
  const config = Object.fromEntries(Object.entries(json).filter(([key]) => TERRAFORM_TOP_LEVEL_KEYS.includes(key)));
  return JSON.stringify(canonical(config));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .filter((key) => key !== COMMENT_KEY)
      .sort()
      .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
  );
}

/** The stacks below a synth outdir (`<outdir>/stacks/<name>/cdk.tf.json`), by name. */
export function stacksIn(outdir: string): Map<string, string> {
  const stacksDir = path.join(outdir, 'stacks');
  const stacks = new Map<string, string>();
  if (!fs.existsSync(stacksDir)) return stacks;
  for (const name of fs.readdirSync(stacksDir).sort()) {
    const file = path.join(stacksDir, name, 'cdk.tf.json');
    if (fs.existsSync(file)) stacks.set(name, file);
  }
  return stacks;
}

function readCanonical(file: string): string {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new PlanToolError(`${file} is not readable JSON (${(error as Error).message}); synthesize again`);
  }
  return canonicalConfig(json);
}

/** The stacks that differ between two synth outdirs, sorted by name. */
export function compareOutdirs(baseOutdir: string, headOutdir: string): (AffectedStack & { readonly change: ConfigChange })[] {
  const base = stacksIn(baseOutdir);
  const head = stacksIn(headOutdir);
  const names = [...new Set([...base.keys(), ...head.keys()])].sort();
  const affected: (AffectedStack & { change: ConfigChange })[] = [];
  for (const stack of names) {
    const before = base.get(stack);
    const after = head.get(stack);
    if (!before) affected.push({ stack, change: 'added' });
    else if (!after) affected.push({ stack, change: 'removed' });
    else if (readCanonical(before) !== readCanonical(after)) affected.push({ stack, change: 'changed' });
  }
  return affected;
}

/**
 * `stacks` plus every stack of `head` that reads one of them (transitively), plus, when
 * `toolchainChanges` is not empty, every stack of `head`. Readers of a removed stack are found
 * in `base` (its readers there must have changed too, or they fail).
 */
export function withDependents(stacks: readonly AffectedStack[], head: StackGraph, base: StackGraph, toolchainChanges: readonly string[] = []): AffectedStack[] {
  const result = new Map(stacks.map((s) => [s.stack, s]));
  const present = stacks.filter((s) => s.change !== 'removed').map((s) => s.stack);
  const readers = new Map<string, Set<string>>();
  for (const [graph, changed] of [
    [head, present],
    [base, stacks.filter((s) => s.change === 'removed').map((s) => s.stack)],
  ] as const) {
    for (const [reader, via] of graph.transitiveReaders(changed)) {
      if (head.stacks.has(reader)) via.forEach((producer) => (readers.get(reader) ?? readers.set(reader, new Set()).get(reader)!).add(producer));
    }
  }
  for (const [reader, via] of readers) if (!result.has(reader)) result.set(reader, { stack: reader, change: 'reader', because: [...via].sort() });
  if (toolchainChanges.length > 0) {
    for (const stack of head.stacks.keys()) if (!result.has(stack)) result.set(stack, { stack, change: 'toolchain', because: toolchainChanges });
  }
  return [...result.values()].sort((a, b) => (a.stack < b.stack ? -1 : a.stack > b.stack ? 1 : 0));
}

/** The toolchain files (TOOLCHAIN_FILES) that differ between `commit` and the working tree of `root`, untracked ones included. */
export function toolchainChanges(root: string, commit: string): string[] {
  const changed = [
    ...git(root, ['diff', '--name-only', commit, '--', '.']).split('\n'),
    ...git(root, ['ls-files', '--others', '--exclude-standard']).split('\n'),
  ].filter(Boolean);
  const isToolchain = (file: string) => TOOLCHAIN_FILES.some((entry) => (entry.endsWith('/') ? file.startsWith(entry) : file === entry));
  return [...new Set(changed.filter(isToolchain))].sort();
}

function git(root: string, args: readonly string[]): string {
  const run = spawnSync('git', ['-C', root, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (run.error) throw new PlanToolError(`git could not be run (${run.error.message}); install git`);
  if (run.status !== 0) throw new PlanToolError(`git ${args.join(' ')} failed: ${lastLines(run.stderr, 1)}`);
  return run.stdout;
}

/** The commit a ref names; a one-line error when it names none. */
export function resolveCommit(root: string, ref: string): string {
  const run = spawnSync('git', ['-C', root, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { encoding: 'utf8' });
  if (run.status !== 0) {
    throw new PlanToolError(`--base "${ref}" is not a commit of ${root}; fetch it first (actions/checkout with fetch-depth: 0) or pass a branch, tag or SHA`);
  }
  return run.stdout.trim();
}

/** Writes the tree of `commit` into `dir` (git archive: the repository is only read). */
export function exportCommit(root: string, commit: string, dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const tar = path.join(dir, '..', `${path.basename(dir)}.tar`);
  git(root, ['archive', '--format=tar', `--output=${tar}`, commit]);
  try {
    const untar = spawnSync('tar', ['-xf', tar, '-C', dir], { encoding: 'utf8' });
    if (untar.status !== 0) throw new PlanToolError(`unpacking ${commit} failed: ${lastLines(untar.stderr ?? '', 1)}`);
  } finally {
    fs.rmSync(tar, { force: true });
  }
}

/**
 * Synthesizes the tree at `tree` into `outdir` with the tree's own synth CLI (or main.ts), run
 * through the tree's own TypeScript loader (`tools/fast-start.cjs`) or, for trees older than it,
 * this checkout's tsx; `nodeModules` is linked into the tree when it has none.
 */
export function synthesizeTree(tree: string, outdir: string, options: { nodeModules?: string; label?: string } = {}): void {
  const link = path.join(tree, 'node_modules');
  if (options.nodeModules && fs.existsSync(options.nodeModules) && !fs.existsSync(link)) fs.symlinkSync(path.resolve(options.nodeModules), link, 'dir');
  const loader = fs.existsSync(path.join(tree, FAST_START)) ? ['--require', `./${FAST_START}`] : [require.resolve('tsx/cli')];
  const hasCli = fs.existsSync(path.join(tree, SYNTH_CLI));
  const args = hasCli ? [...loader, SYNTH_CLI, '--outdir', outdir] : [...loader, LEGACY_APP];
  const run = spawnSync(process.execPath, args, {
    cwd: tree,
    encoding: 'utf8',
    env: { ...process.env, CDKTF_OUTDIR: outdir },
    timeout: SYNTH_TIMEOUT_MS,
    maxBuffer: 1 << 28,
  });
  if (run.status !== 0) {
    const why = run.error ? run.error.message : failureLine(`${run.stderr}\n${run.stdout}`);
    throw new PlanToolError(`synthesizing ${options.label ?? tree} failed: ${why}`);
  }
}

export interface AffectedOptions {
  /** The git repository (and working tree) to compare. @default - the current directory */
  readonly root?: string;
  /** The git ref to compare the working tree with. */
  readonly base: string;
  /** A fresh synth of the working tree. @default - synthesized into a temp dir */
  readonly headOutdir?: string;
  /**
   * Where to keep the base commit's synthesized removed stacks (`<dir>/stacks/<name>/`), to plan
   * them as destroys (`npm run plan -- <stack> --outdir <dir> --destroy`). @default - not kept
   */
  readonly removedOutdir?: string;
}

export interface AffectedResult {
  readonly baseCommit: string;
  readonly stacks: readonly AffectedStack[];
  /** The graph of the working tree's stacks (apply order between readers and producers). */
  readonly graph: StackGraph;
}

/** Synthesizes `base` and the working tree and compares them. */
export function affectedStacks(options: AffectedOptions): AffectedResult {
  const root = path.resolve(options.root ?? '.');
  const baseCommit = resolveCommit(root, options.base);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'affected-'));
  try {
    const tree = path.join(scratch, 'base');
    exportCommit(root, baseCommit, tree);
    const baseOut = path.join(scratch, 'base-out');
    synthesizeTree(tree, baseOut, { nodeModules: path.join(root, 'node_modules'), label: `--base ${options.base} (${baseCommit.slice(0, 12)})` });
    let headOut = options.headOutdir ? path.resolve(options.headOutdir) : path.join(scratch, 'head-out');
    if (options.headOutdir) {
      if (!fs.existsSync(path.join(headOut, 'stacks'))) throw new PlanToolError(`--outdir ${options.headOutdir} holds no synthesized stacks; run \`npm run synth\` first`);
    } else {
      synthesizeTree(root, headOut, { label: 'the working tree' });
    }
    const compared = compareOutdirs(baseOut, headOut);
    const graph = StackGraph.fromOutdir(headOut);
    const stacks = withDependents(compared, graph, StackGraph.fromOutdir(baseOut), toolchainChanges(root, baseCommit));
    if (options.removedOutdir) keepRemoved(baseOut, options.removedOutdir, stacks);
    return { baseCommit, stacks, graph };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Copies the base synth of each removed stack into `<dir>/stacks/<name>/` (the dir is emptied first). */
function keepRemoved(baseOut: string, dir: string, stacks: readonly AffectedStack[]): void {
  fs.rmSync(path.join(dir, 'stacks'), { recursive: true, force: true });
  for (const { stack } of stacks.filter((s) => s.change === 'removed')) {
    fs.cpSync(path.join(baseOut, 'stacks', stack), path.join(dir, 'stacks', stack), { recursive: true });
  }
}

/** The pull request label that allows destroying the removed stacks of `environment`. */
export function allowDestroyLabel(environment: string): string {
  return `allow-destroy:${environment}`;
}

/** The removed stacks whose environment's `allow-destroy:<env>` label is not among `labels`, with the missing label. */
export function destroysWithoutLabel(json: AffectedJson, catalog: StackCatalog, labels: readonly string[]): { stack: string; label: string }[] {
  return json.removed.map((stack) => ({ stack, label: allowDestroyLabel(catalog.entry(stack).environment) })).filter(({ label }) => !labels.includes(label));
}

/** `--labels` as GitHub gives them: a JSON list (`["a","b"]`) or comma-separated names. */
export function parseLabels(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    const parsed: unknown = JSON.parse(trimmed);
    if (!Array.isArray(parsed) || parsed.some((label) => typeof label !== 'string')) throw new PlanToolError(`--labels ${text} is not a JSON list of label names`);
    return parsed as string[];
  }
  return trimmed.split(',').map((label) => label.trim()).filter(Boolean);
}

/** One object of the matrix `include` list. */
export interface MatrixEntry {
  readonly stack: string;
  readonly environment: string;
  readonly change?: StackChange;
  /** See AffectedStack.because. @default - none */
  readonly because?: readonly string[];
  readonly region?: string;
  readonly planRoleArn?: string;
  readonly applyRoleArn?: string;
}

/** The JSON of `affected --json`: a GitHub Actions matrix plus what apply.yml needs. */
export interface AffectedJson {
  /** Stacks to plan and apply, in apply order (removed stacks are not among them). */
  readonly stacks: readonly string[];
  /** Entries of `include`. */
  readonly count: number;
  /**
   * Matrix entries, one per stack to plan: `strategy.matrix: ${{ fromJSON(...) }}` takes `{include}`.
   * The stacks of `stacks` in apply order, then the removed stacks (`change: 'removed'`, planned
   * with `--destroy` from the `--removed-outdir` synth of the base).
   */
  readonly include: readonly MatrixEntry[];
  /** Environments with stacks to apply, in apply order. */
  readonly environments: readonly string[];
  /** Per environment, the stacks apply.yml applies, in order (the bootstrap stack is left out: applied by hand). */
  readonly apply: Readonly<Record<string, readonly string[]>>;
  /**
   * Stacks that disappeared, in destroy order (reverse apply order: readers before the stacks they
   * read). Each is destroyed only with the pull request label `allow-destroy:<environment>`.
   */
  readonly removed: readonly string[];
  /**
   * `stacks` in planning waves: a stack comes after every stack of `stacks` whose state it reads,
   * so its plan can use the producer's planned outputs (`npm run plan` orders one run itself).
   */
  readonly planWaves: readonly (readonly string[])[];
  /** The Terraform version every stack pins (stacks/toolchain.ts); CI installs exactly this one. */
  readonly terraformVersion: string;
}

export function affectedJson(stacks: readonly AffectedStack[], catalog: StackCatalog, graph?: StackGraph): AffectedJson {
  const present = stacks.filter((s) => s.change !== 'removed');
  const byName = new Map(stacks.map((s) => [s.stack, s]));
  const ordered = catalog.applyOrder(present.map((s) => s.stack));
  const removed = catalog.applyOrder(stacks.filter((s) => s.change === 'removed').map((s) => s.stack)).reverse();
  const include = [...ordered, ...removed].map((stack): MatrixEntry => {
    const entry = catalog.entry(stack);
    const { change, because } = byName.get(stack)!;
    return {
      stack,
      environment: entry.environment,
      ...(change ? { change } : {}),
      ...(because?.length ? { because } : {}),
      ...(entry.region ? { region: entry.region } : {}),
      ...(entry.planRoleArn ? { planRoleArn: entry.planRoleArn } : {}),
      ...(entry.applyRoleArn ? { applyRoleArn: entry.applyRoleArn } : {}),
    };
  });
  const apply: Record<string, string[]> = {};
  for (const stack of ordered) {
    const entry = catalog.entry(stack);
    if (!entry.appliedByHand) (apply[entry.environment] ??= []).push(stack);
  }
  return {
    stacks: ordered,
    count: include.length,
    include,
    environments: Object.keys(apply),
    apply,
    removed,
    planWaves: graph ? graph.waves(ordered) : [ordered],
    terraformVersion: TERRAFORM_VERSION,
  };
}

/**
 * `$GITHUB_OUTPUT` lines: `matrix` ({include}), `count`, `stacks` (space-separated), `environments`,
 * `removed` (space-separated, destroy order), `terraform-version`
 * (JSON list) and per environment `apply-<env>` (its stacks to apply, space-separated, empty when
 * none), `region-<env>`, `plan-role-<env>` and `apply-role-<env>`.
 */
export function githubOutputLines(json: AffectedJson, catalog: StackCatalog, environments: readonly string[]): string {
  const lines = [
    `matrix=${JSON.stringify({ include: json.include })}`,
    `count=${json.count}`,
    `stacks=${json.stacks.join(' ')}`,
    `environments=${JSON.stringify(json.environments)}`,
    `removed=${json.removed.join(' ')}`,
    `terraform-version=${json.terraformVersion}`,
  ];
  for (const env of [...new Set([...environments, ...json.environments])]) {
    const entry = catalog.environment(env);
    lines.push(
      `apply-${env}=${(json.apply[env] ?? []).join(' ')}`,
      `region-${env}=${entry.region ?? ''}`,
      `plan-role-${env}=${entry.planRoleArn ?? ''}`,
      `apply-role-${env}=${entry.applyRoleArn ?? ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The catalog of the platform at `root`, loaded with this checkout's code: CI runs this tool from
 * the pull request's base commit (`--root` the pull request's checkout), so the pull request cannot
 * change how its own stacks are selected. A names-only catalog when `root`'s environments do not
 * load as a platform (another kind of repository).
 */
function catalogFor(root: string): { catalog: StackCatalog; environments: string[] } {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { loadPlatform } = require('../../environments/load') as typeof import('../../environments/load');
  const { platformCatalog } = require('./stack-catalog') as typeof import('./stack-catalog');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const here = path.resolve(__dirname, '..', '..');
  const envDir = path.join(path.resolve(root), 'environments');
  if (path.resolve(root) !== here) {
    const names = fs.existsSync(envDir) ? fs.readdirSync(envDir).filter((n) => fs.existsSync(path.join(envDir, n, 'config.ts'))) : [];
    try {
      const platform = loadPlatform(envDir);
      return { catalog: platformCatalog(platform), environments: platform.environments.map((env) => env.name) };
    } catch {
      return { catalog: namesOnlyCatalog(names), environments: names };
    }
  }
  const platform = loadPlatform();
  return { catalog: platformCatalog(platform), environments: platform.environments.map((env) => env.name) };
}

interface AffectedCliOptions {
  base?: string;
  all: boolean;
  json: boolean;
  outdir?: string;
  root: string;
  githubOutput?: string;
  removedOutdir?: string;
  labels?: string;
  environment?: string;
  ifBaseMissing: string;
}

export async function main(argv: readonly string[], io: ToolIo = PROCESS_IO): Promise<number> {
  return runTool('affected', io, () => {
    const options = new Command('affected')
      .description('List the stacks whose synthesized Terraform differs between a git ref and the working tree')
      .option('--base <ref>', 'git ref to compare with (branch, tag, SHA)')
      .option('--all', 'list every stack of the working tree, no comparison (drift checks)', false)
      .option('--json', 'print JSON: {stacks, include (a GitHub Actions matrix), environments, apply, removed, planWaves, terraformVersion}', false)
      .option('--outdir <dir>', 'a fresh synth of the working tree to use instead of synthesizing it again')
      .option('--root <dir>', 'the git repository', '.')
      .option('--removed-outdir <dir>', "keep the base commit's synth of removed stacks here (plan them with `npm run plan -- <stack> --outdir <dir> --destroy`)")
      .option('--labels <list>', 'the pull request labels (JSON list or comma-separated): exit 1 when a removed stack lacks allow-destroy:<environment>')
      .option('--github-output <file>', 'also append matrix, count, stacks, environments and apply-<env> to this file ($GITHUB_OUTPUT)')
      .option('--environment <env>', 'only the stacks of this environment (apply: --base deployed/<env>)')
      .option('--if-base-missing <fail|all>', 'when --base names no commit: fail, or count every stack as added (a first deploy)', 'fail')
      .exitOverride()
      .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
      .parse([...argv], { from: 'user' })
      .opts<AffectedCliOptions>();
    if (!options.base && !options.all) throw new PlanToolError('pass --base <git ref> (for example origin/main) or --all');
    if (options.base && options.all) throw new PlanToolError('pass either --base <git ref> or --all, not both');
    const ifBaseMissing = parseIfBaseMissing(options.ifBaseMissing);
    let stacks: AffectedStack[];
    let graph: StackGraph | undefined;
    if (options.base && ifBaseMissing === 'all' && !refExists(options.root, options.base)) {
      io.stderr(`affected: ${options.base} names no commit yet; every stack counts as added\n`);
      const outdir = options.outdir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'affected-head-'));
      if (!options.outdir) synthesizeTree(path.resolve(options.root), path.resolve(outdir), { label: 'the working tree' });
      stacks = [...stacksIn(outdir).keys()].map((stack) => ({ stack, change: 'added' as const }));
      graph = StackGraph.fromOutdir(outdir);
    } else if (options.all) {
      const outdir = options.outdir ?? path.join(options.root, 'cdktf.out');
      stacks = [...stacksIn(outdir).keys()].map((stack) => ({ stack }));
      if (stacks.length === 0) throw new PlanToolError(`${outdir} holds no synthesized stacks; run \`npm run synth\` first`);
      graph = StackGraph.fromOutdir(outdir);
    } else {
      const result = affectedStacks({ root: options.root, base: options.base!, headOutdir: options.outdir, removedOutdir: options.removedOutdir });
      stacks = [...result.stacks];
      graph = result.graph;
    }
    const { catalog, environments } = catalogFor(options.root);
    if (options.environment) stacks = stacksOfEnvironment(stacks, options.environment, catalog, environments);
    const json = affectedJson(stacks, catalog, graph);
    for (const entry of stacks) {
      if (entry.change === 'reader') io.stderr(`affected: ${entry.stack} reads the state of ${entry.because!.join(', ')}\n`);
    }
    const toolchain = stacks.find((entry) => entry.change === 'toolchain');
    if (toolchain) io.stderr(`affected: the toolchain changed (${toolchain.because!.join(', ')}): every stack is planned\n`);
    for (const stack of json.removed) {
      io.stderr(
        `affected: stack ${stack} was removed: planned as a destroy from the base commit's configuration${options.removedOutdir ? ` (${options.removedOutdir})` : ' (pass --removed-outdir to keep it)'}; destroyed only with the label allow-destroy:${catalog.entry(stack).environment}\n`,
      );
    }
    if (options.githubOutput) fs.appendFileSync(options.githubOutput, githubOutputLines(json, catalog, environments));
    io.stdout(options.json ? `${JSON.stringify(json)}\n` : [...json.stacks, ...json.removed].map((stack) => `${stack}\n`).join(''));
    if (options.labels !== undefined) {
      const refused = destroysWithoutLabel(json, catalog, parseLabels(options.labels));
      if (refused.length > 0) {
        throw new PlanToolError(
          `destroying ${refused.map(({ stack }) => stack).join(', ')} needs the pull request label ${[...new Set(refused.map(({ label }) => label))].join(', ')}; add it once the destroy plan is reviewed`,
        );
      }
    }
    return 0;
  });
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
