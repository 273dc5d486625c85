/**
 * `npm run promote -- <from> <to> [--write] [--force --reason "<why>"]`: what moves from one
 * environment of the chain to the next, and the Terraform it changes.
 * `npm run promote -- --diff [--json]`: settings that differ across the chain.
 * `npm run promote -- --status`: deployed commit, pinned values and what is waiting, per environment.
 * `npm run promote -- --check-deployed [--base <ref>]`: exit 1 unless each environment's pins were
 * deployed in the environment before it (CI).
 */
import { Command, CommanderError } from 'commander';
import { DEFAULT_ENVIRONMENTS_DIR } from '../../environments/load';
import { checkDeployedPins, renderDeployedCheck } from './check-deployed';
import { driftReport } from './drift';
import { errors, PromoteError } from './errors';
import { assertCommitted, configFileOf, loadEnvironments, planPromotion, writePromotion } from './promote';
import { PROMOTABLE_FIELDS } from './promotable-fields';
import { renderDrift, renderDriftJson, renderPlan, renderStatus } from './render';
import { statusReport } from './status';
import type { TableFormat } from './table';

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const consoleIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

interface Options {
  readonly environments: string;
  readonly write?: boolean;
  readonly force?: boolean;
  readonly reason?: string;
  readonly diff?: boolean;
  readonly status?: boolean;
  readonly markdown?: boolean;
  readonly json?: boolean;
  readonly checkDeployed?: boolean;
  readonly base?: string;
  readonly synth: boolean;
}

/** Runs the command; returns the exit code (0 ok, 1 refused or bad input). */
export function main(argv: readonly string[], io: CliIo = consoleIo): number {
  const command = new Command('promote')
    .description('Promote pinned values along the chain (dev -> staging -> prod), show drift and status')
    .argument('[from]', 'environment to promote from')
    .argument('[to]', 'environment to promote into (the next one of the chain)')
    .option('--write', "update the target environment's config.ts in place")
    .option('--force', 'allow skipping an environment of the chain or going backwards (needs --reason)')
    .option('--reason <text>', 'why the chain is not followed')
    .option('--diff', 'show every setting that differs across the chain')
    .option('--status', 'show what each environment runs and what is waiting')
    .option('--check-deployed', "fail unless each environment's pins were deployed in the one before it (CI)")
    .option('--base <ref>', 'with --check-deployed: check only the pins changed since this commit')
    .option('--no-synth', 'skip synthesizing and comparing the Terraform (faster; the pinned values only)')
    .option('--markdown', 'print tables as markdown')
    .option('--json', 'with --diff: the settings as JSON, every value in full')
    .option('--environments <dir>', 'directory of environment directories', DEFAULT_ENVIRONMENTS_DIR)
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out(text.trimEnd()), writeErr: (text) => io.err(text.trimEnd()) });
  try {
    command.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 1;
    throw error;
  }
  const options = command.opts<Options>();
  const [from, to] = command.args;
  const format: TableFormat = options.markdown ? 'markdown' : 'text';
  try {
    if (options.checkDeployed) {
      if (options.diff || options.status || from || to || options.write || options.force) {
        throw errors.usage('--check-deployed takes no environments and no other report; pass --base <ref> to check the changed pins only');
      }
      const platform = loadEnvironments(options.environments);
      const check = checkDeployedPins(platform, options.environments, PROMOTABLE_FIELDS, options.base);
      const text = renderDeployedCheck(check, options.base);
      if (check.undeployed.length > 0) {
        for (const line of text.split('\n')) io.err(`promote: ${line}`);
        return 1;
      }
      io.out(text);
      return 0;
    }
    if (options.base !== undefined) throw errors.usage('--base is only used with --check-deployed');
    if (options.diff || options.status) {
      if (options.diff && options.status) throw errors.usage('--diff and --status are separate reports; pass one');
      if (from || to || options.write || options.force) throw errors.usage(`--${options.diff ? 'diff' : 'status'} takes no environments and no --write/--force`);
      if (options.json && !options.diff) throw errors.usage('--json goes with --diff');
      const platform = loadEnvironments(options.environments);
      if (options.diff) {
        const report = driftReport(platform, PROMOTABLE_FIELDS);
        io.out(options.json ? renderDriftJson(report) : renderDrift(report, format));
      } else {
        io.out(renderStatus(statusReport(platform, options.environments, PROMOTABLE_FIELDS), format));
      }
      return 0;
    }
    if (options.json) throw errors.usage('--json goes with --diff');
    if (!from || !to) throw errors.usage('name two environments: npm run promote -- <from> <to> (or --diff, --status)');
    if (options.write) {
      // Refuse before synthesizing anything: the check is cheap and the answer does not depend on the plan.
      const platform = loadEnvironments(options.environments);
      if (platform.promotionChain.some((env) => env.name === to)) assertCommitted(to, configFileOf(options.environments, to));
    }
    const plan = planPromotion(from, to, { environmentsDir: options.environments, force: options.force, reason: options.reason, synth: options.synth });
    if (options.write) writePromotion(plan);
    io.out(renderPlan(plan, format, Boolean(options.write && plan.edit)));
    return 0;
  } catch (error) {
    if (error instanceof PromoteError) {
      for (const line of error.message.split('\n')) io.err(`promote: ${line}`);
      return 1;
    }
    throw error;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
