/**
 * `npm run plan -- <stack>... [--offline] [--read-only] [--parallel N] [--outdir cdktf.out]
 * [--plans-dir .plans] [--detailed-exitcode] [--destroy] [--producer-plans <dir>]`: terraform
 * init, plan -out and show -json per stack (run-plans.ts, producers before their readers), then one
 * line per stack and one per reader value that waits for a producer's apply.
 *
 * Exit code: 0 when every plan ran; 1 when any failed or the input is wrong; with
 * `--detailed-exitcode`, 2 when every plan ran and at least one has changes (drift checks).
 */
import { Command } from 'commander';
import * as fs from 'fs';
import * as path from 'path';
import { PlanToolError, PROCESS_IO, runTool, type ToolIo } from './cli-support';
import { DEFAULT_PARALLEL, DEFAULT_PLANS_DIR, runPlans, waitNote, type StackPlanResult } from './run-plans';
import type { ChangeCounts } from './summarize';

interface PlanCliOptions {
  offline: boolean;
  readOnly: boolean;
  parallel: string;
  outdir: string;
  plansDir: string;
  detailedExitcode: boolean;
  destroy: boolean;
  producerPlans?: string;
  deletionsOf?: string;
}

/** `3 to add, 1 to change, 0 to replace, 0 to destroy` plus imports/moves when there are any. */
export function countsLine(counts: ChangeCounts): string {
  const parts = [`${counts.add} to add`, `${counts.change} to change`, `${counts.replace} to replace`, `${counts.destroy} to destroy`];
  if (counts.import) parts.push(`${counts.import} to import`);
  if (counts.move) parts.push(`${counts.move} to move`);
  return parts.join(', ');
}

export function resultLine(result: StackPlanResult, cwd: string = process.cwd()): string {
  const where = (file: string) => {
    const relative = path.relative(cwd, file);
    return relative && !relative.startsWith('..') ? relative : file;
  };
  if (!result.ok) return `FAIL ${result.stack}: ${result.error} (log: ${where(result.logFile)})`;
  const line = `ok   ${result.stack}: ${countsLine(result.counts!)}${result.hasChanges ? '' : ' (no changes)'} -> ${where(result.jsonFile)} (${(result.durationMs / 1000).toFixed(1)} s)`;
  return [line, ...(result.waits ?? []).map((wait) => `     ${waitNote(wait)}`)].join('\n');
}

export async function main(argv: readonly string[], io: ToolIo = PROCESS_IO): Promise<number> {
  return runTool('plan', io, async () => {
    const program = new Command('plan')
      .description('terraform init, plan -out and show -json for synthesized stacks')
      .argument('<stack...>', 'synthesized stacks (cdktf.out/stacks/<stack>)')
      .option('--offline', 'no AWS: local state, stub credentials, provider mirror, remote-state stand-ins, -refresh=false', false)
      .option('--read-only', "assume each account's read-only plan role instead of its deploy role (CI plans)", false)
      .option('--parallel <n>', 'stacks planned at the same time', String(DEFAULT_PARALLEL))
      .option('--outdir <dir>', 'synthesized output', 'cdktf.out')
      .option('--plans-dir <dir>', 'where plan files, plan JSON, logs and work dirs go', DEFAULT_PLANS_DIR)
      .option('--detailed-exitcode', 'exit 2 when a plan has changes (terraform plan -detailed-exitcode)', false)
      .option('--destroy', "plan the destroy of everything in each stack's state (removed stacks, from the base's synth)", false)
      .option('--deletions-of <dir>', 'reviewed plans (<dir>/<stack>.json): plan only what each deletes, nothing when it deletes nothing (reader-first pass of apply)')
      .option('--producer-plans <dir>', 'plan JSON of producers planned earlier (<dir>/<stack>.json), for readers of their new outputs')
      .exitOverride()
      .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
      .parse([...argv], { from: 'user' });
    const options = program.opts<PlanCliOptions>();
    const parallel = Number(options.parallel);
    if (!/^\d+$/.test(options.parallel) || parallel < 1) throw new PlanToolError(`--parallel "${options.parallel}" is not a positive whole number`);
    if (options.offline && options.readOnly) throw new PlanToolError('--offline and --read-only exclude each other: offline plans assume no role at all');
    const planRoles = options.readOnly ? readOnlyRoles() : undefined;
    const results = await runPlans({
      stacks: program.args,
      outdir: options.outdir,
      plansDir: options.plansDir,
      offline: options.offline,
      planRoles,
      parallel,
      detailedExitcode: options.detailedExitcode,
      destroy: options.destroy,
      producerPlans: options.producerPlans ? plansIn('--producer-plans', options.producerPlans) : undefined,
      deletionsOf: options.deletionsOf ? plansIn('--deletions-of', options.deletionsOf) : undefined,
      onResult: (result) => io.stdout(`${resultLine(result)}\n`),
    });
    if (results.some((result) => !result.ok)) return 1;
    return options.detailedExitcode && results.some((result) => result.hasChanges) ? 2 : 0;
  });
}

/** `<dir>/<stack>.json` plan files, by stack. */
function plansIn(option: string, dir: string): Map<string, string> {
  if (!fs.existsSync(dir)) throw new PlanToolError(`${option} ${dir} does not exist; download the plans first`);
  return new Map(
    fs
      .readdirSync(dir)
      .filter((file) => file.endsWith('.json') && !file.endsWith('.waits.json'))
      .map((file) => [file.slice(0, -'.json'.length), path.join(dir, file)]),
  );
}

function readOnlyRoles(): ReadonlyMap<string, string> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { loadPlatform } = require('../../environments/load') as typeof import('../../environments/load');
  const { deployRoleToPlanRole } = require('./stack-catalog') as typeof import('./stack-catalog');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return deployRoleToPlanRole(loadPlatform());
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
