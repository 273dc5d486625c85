/** Wall time and peak RSS of a node process, measured from outside it. */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface Measurement {
  readonly wallMs: number;
  readonly peakRssMb: number;
}

const REPORTER = path.join(__dirname, 'rss-reporter.cjs');
const ROOT = path.join(__dirname, '..', '..');

/** Runs `node <nodeArgs...>` once with the RSS reporter preloaded; throws with its stderr when it fails. */
export function measureNode(nodeArgs: readonly string[], env: NodeJS.ProcessEnv = {}): Measurement {
  const rssFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-rss-')), 'rss');
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ['-r', REPORTER, ...nodeArgs], {
    cwd: ROOT,
    env: { ...process.env, ...env, BENCH_RSS_FILE: rssFile },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) throw new Error(`node ${nodeArgs.join(' ')} failed (${run.status}):\n${run.stderr.slice(-2000)}`);
  return { wallMs, peakRssMb: Number(fs.readFileSync(rssFile, 'utf8')) / 1024 };
}

/** The median run of `runs` measurements (by wall time). */
export function median(runs: readonly Measurement[]): Measurement {
  const sorted = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  return sorted[Math.floor(sorted.length / 2)];
}

export function repeat(times: number, measure: () => Measurement): Measurement {
  return median(Array.from({ length: times }, measure));
}

/** Wall time of any command. */
export function timeCommand(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): { wallMs: number; ok: boolean; output: string } {
  const started = process.hrtime.bigint();
  const run = spawnSync(command, args, { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { wallMs: Number(process.hrtime.bigint() - started) / 1e6, ok: run.status === 0, output: `${run.stdout}\n${run.stderr}` };
}

/** Least-squares slope of y over x. */
export function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const num = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}
