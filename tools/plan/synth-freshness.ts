/**
 * Is a synth output older than what it was synthesized from? `npm run plan` refuses such a
 * `cdktf.out` (or synthesizes first with `--synth`): planning stale JSON shows a reviewer a plan
 * of code that is no longer there.
 */
import * as fs from 'fs';
import * as path from 'path';

/** What a synth reads, relative to the project root: a change to any of these makes cdktf.out stale. */
export const SYNTH_SOURCES: readonly string[] = ['main.ts', 'cdktf.json', 'package-lock.json', 'environments', 'modules', 'stacks', 'tools/synth'];
const SOURCE_FILE = /\.(ts|json|cjs|js)$/;

export interface StaleSynth {
  /** The newest source, relative to the root. */
  readonly source: string;
  /** How much newer it is than the oldest synthesized stack, in ms. */
  readonly newerByMs: number;
}

function newestFile(file: string, newest: { file: string; mtimeMs: number }): void {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat) return;
  if (stat.isDirectory()) {
    for (const entry of fs.readdirSync(file)) if (entry !== 'node_modules' && !entry.startsWith('.')) newestFile(path.join(file, entry), newest);
  } else if (SOURCE_FILE.test(file) && stat.mtimeMs > newest.mtimeMs) {
    newest.file = file;
    newest.mtimeMs = stat.mtimeMs;
  }
}

/** The newest source when it is newer than the oldest `cdk.tf.json` below `outdir`; undefined when the synth is fresh. */
export function staleSynth(outdir: string, root: string, sources: readonly string[] = SYNTH_SOURCES): StaleSynth | undefined {
  const stacksDir = path.join(outdir, 'stacks');
  if (!fs.existsSync(stacksDir)) return undefined; // checkStacks says "run npm run synth"
  const synthesized = fs
    .readdirSync(stacksDir)
    .map((name) => fs.statSync(path.join(stacksDir, name, 'cdk.tf.json'), { throwIfNoEntry: false })?.mtimeMs)
    .filter((mtime): mtime is number => mtime !== undefined);
  if (synthesized.length === 0) return undefined;
  const oldest = Math.min(...synthesized);
  const newest = { file: '', mtimeMs: 0 };
  for (const source of sources) newestFile(path.join(root, source), newest);
  return newest.mtimeMs > oldest ? { source: path.relative(root, newest.file), newerByMs: newest.mtimeMs - oldest } : undefined;
}
