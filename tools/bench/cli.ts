/**
 * `npm run bench [-- --quick] [--json <file>] [--update-readme]`: measures in one run, prints
 * as a table and as JSON, and exits non-zero when a target is missed (with --quick: missed by
 * more than QUICK_MARGIN).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Command } from 'commander';
import { measureNode, repeat, slope, timeCommand, type Measurement } from './measure';
import { generatedEnvironmentsDir } from './generate-environments';
import { QUICK_MARGIN, QUICK_SCALING_SIZES, SCALING_SIZES, TARGETS } from './targets';
import { readPlanJsonFile } from '../plan/plan-json';
import { replicatePlan } from '../plan/replicate-plan';
import { renderComment } from '../plan/render';
import { summarizePlan } from '../plan/summarize';
import { discoverEnvironments } from '../../environments/load';
import { npmScriptNodeArgs } from '../npm-script';

const ROOT = path.join(__dirname, '..', '..');
/** The baseline: what a default cdktf project loads (this project only ever imports its deep paths). */
const PROVIDER_PACKAGE_ROOT = '@cdktf/provider-aws';
const RENDER_PLAN_FIXTURE = path.join(ROOT, '__tests__', 'tools', 'plan', 'fixtures', 'mixed.json');
const README = path.join(ROOT, 'README.md');
const README_START = '<!-- bench:start -->';
const README_END = '<!-- bench:end -->';

interface Check {
  readonly name: string;
  readonly value: number;
  readonly target: number;
  readonly unit: string;
  readonly passed: boolean;
}

interface Results {
  readonly date: string;
  readonly machine: string;
  readonly mode: 'full' | 'quick';
  readonly providerLoad: Measurement;
  readonly synthDefault: Measurement & { readonly environments: number };
  /** One synth of the default environments with an empty TypeScript cache (a fresh clone); informative, no target. */
  readonly synthColdCache: Measurement;
  readonly scaling: readonly (Measurement & { readonly environments: number })[];
  readonly perEnvironmentMs: number;
  readonly render10k: { readonly wallMs: number; readonly chars: number };
  readonly npmTest?: { readonly wallMs: number; readonly ok: boolean };
  readonly terraformPerStackMs?: number;
  readonly checks: readonly Check[];
}

function synth(environmentsDir?: string, env: NodeJS.ProcessEnv = {}): Measurement {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-out-'));
  return measureNode([...npmScriptNodeArgs('synth'), '--outdir', outdir, ...(environmentsDir ? ['--environments', environmentsDir] : [])], env);
}

function renderBenchmark(): { wallMs: number; chars: number } {
  const plan = replicatePlan(readPlanJsonFile(RENDER_PLAN_FIXTURE), 10_000);
  const started = process.hrtime.bigint();
  const markdown = renderComment([summarizePlan('bench', plan)]);
  return { wallMs: Number(process.hrtime.bigint() - started) / 1e6, chars: markdown.length };
}

function check(name: string, value: number, target: number, unit: string, margin: number): Check {
  return { name, value, target, unit, passed: value <= target * margin };
}

export function runBenchmarks(quick: boolean): Results {
  // Every synth and the baseline are the median of three runs, in both modes, so one noisy run
  // on a shared CI machine does not decide a verdict.
  const runs = 3;
  const margin = quick ? QUICK_MARGIN : 1;
  const providerLoad = repeat(runs, () => measureNode(['-e', `require(${JSON.stringify(PROVIDER_PACKAGE_ROOT)})`]));
  const defaultEnvironments = discoverEnvironments().length;
  const synthColdCache = synth(undefined, { PLATFORM_TS_CACHE: fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ts-cache-')) });
  const synthDefault = { ...repeat(runs, () => synth()), environments: defaultEnvironments };
  const scaling = (quick ? QUICK_SCALING_SIZES : SCALING_SIZES).map((count) => {
    const dir = generatedEnvironmentsDir(count);
    return { ...repeat(runs, () => synth(dir)), environments: defaultEnvironments + count };
  });
  const perEnvironmentMs = slope([synthDefault, ...scaling].map((m) => ({ x: m.environments, y: m.wallMs })));
  const render10k = renderBenchmark();
  let npmTest: Results['npmTest'];
  let terraformPerStackMs: number | undefined;
  if (!quick) {
    const test = timeCommand('npm', ['test', '--silent']);
    npmTest = { wallMs: test.wallMs, ok: test.ok };
    const verify = timeCommand('npm', ['run', '--silent', 'verify']);
    const stacks = (verify.output.match(/^(ok  |FAIL) /gm) ?? []).length;
    terraformPerStackMs = stacks > 0 ? verify.wallMs / stacks : undefined;
  }
  const checks = [
    check('synth vs provider package load', synthDefault.wallMs / providerLoad.wallMs, TARGETS.synthVsProviderLoad, 'x', margin),
    check('synth peak RSS', synthDefault.peakRssMb, TARGETS.synthPeakRssMb, 'MB', margin),
    check('synth per added environment', perEnvironmentMs, TARGETS.perEnvironmentMs, 'ms', margin),
    check('render 10,000 changes', render10k.wallMs, TARGETS.render10kMs, 'ms', margin),
    check('rendered comment length', render10k.chars, TARGETS.render10kChars, 'chars', 1),
    ...(npmTest ? [check('npm test', npmTest.wallMs, TARGETS.npmTestMs, 'ms', margin)] : []),
  ];
  return {
    date: new Date().toISOString().slice(0, 10),
    machine: `${os.cpus().length} x ${os.cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`,
    mode: quick ? 'quick' : 'full',
    providerLoad,
    synthDefault,
    synthColdCache,
    scaling,
    perEnvironmentMs,
    render10k,
    npmTest,
    terraformPerStackMs,
    checks,
  };
}

const ms = (value: number) => `${Math.round(value)} ms`;
const mb = (value: number) => `${Math.round(value)} MB`;

export function resultsTable(results: Results): string {
  const rows: string[][] = [
    ['measurement', 'wall time', 'peak RSS'],
    ['load `@cdktf/provider-aws` package root (baseline)', ms(results.providerLoad.wallMs), mb(results.providerLoad.peakRssMb)],
    [`synth, default environments (${results.synthDefault.environments})`, ms(results.synthDefault.wallMs), mb(results.synthDefault.peakRssMb)],
    ['synth, default environments, empty TypeScript cache (fresh clone, once)', ms(results.synthColdCache.wallMs), mb(results.synthColdCache.peakRssMb)],
    ...results.scaling.map((s) => [`synth, ${s.environments} environments`, ms(s.wallMs), mb(s.peakRssMb)]),
    ['synth, each added environment (slope)', ms(results.perEnvironmentMs), ''],
    ['render plan comment, 10,000 changes', ms(results.render10k.wallMs), `${results.render10k.chars} chars`],
    ...(results.terraformPerStackMs !== undefined ? [['terraform validate + mocked plan/apply, per stack', ms(results.terraformPerStackMs), '']] : []),
    ...(results.npmTest ? [['npm test (type-check, jest, Terraform checks)', ms(results.npmTest.wallMs), results.npmTest.ok ? 'passed' : 'FAILED']] : []),
  ];
  const table = [
    `| ${rows[0].join(' | ')} |`,
    `| ${rows[0].map(() => '---').join(' | ')} |`,
    ...rows.slice(1).map((row) => `| ${row.join(' | ')} |`),
  ];
  const checks = [
    '| target | measured | limit | |',
    '| --- | --- | --- | --- |',
    ...results.checks.map((c) => `| ${c.name} | ${c.value.toFixed(c.unit === 'x' ? 2 : 0)} ${c.unit} | ${c.target} ${c.unit} | ${c.passed ? 'met' : 'MISSED'} |`),
  ];
  return [`${results.mode} run on ${results.date}, ${results.machine}`, '', ...table, '', ...checks].join('\n');
}

function updateReadme(table: string): void {
  const text = fs.readFileSync(README, 'utf8');
  const start = text.indexOf(README_START);
  const end = text.indexOf(README_END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${README_START} ... ${README_END} section`);
  fs.writeFileSync(README, `${text.slice(0, start + README_START.length)}\n${table}\n${text.slice(end)}`);
}

function main(argv: readonly string[]): number {
  const options = new Command('bench')
    .option('--quick', 'fewer sizes, no jest or Terraform runs; fails only on a wide miss')
    .option('--json <file>', 'also write the results as JSON to this file')
    .option('--update-readme', 'write the results table into README.md')
    .parse(argv, { from: 'user' })
    .opts<{ quick?: boolean; json?: string; updateReadme?: boolean }>();
  const results = runBenchmarks(Boolean(options.quick));
  const table = resultsTable(results);
  console.log(table);
  console.log(`\n${JSON.stringify(results)}`);
  if (options.json) fs.writeFileSync(options.json, `${JSON.stringify(results, null, 2)}\n`);
  if (options.updateReadme) updateReadme(table);
  const missed = results.checks.filter((c) => !c.passed);
  if (missed.length > 0) {
    console.error(`\n${missed.length} target(s) missed${options.quick ? ` by more than ${QUICK_MARGIN}x` : ''}: ${missed.map((c) => c.name).join(', ')}`);
    return 1;
  }
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
