/** `npm run synth`: every environment into `cdktf.out/`, then a short table per stack. */
import { Command } from 'commander';
import { ConfigError } from '../../modules/core/config-issue';
import { DEFAULT_OUTDIR, synthesize, type StackSummary } from './synthesize';
import { formatComplianceSummary, formatFinding, formatSuppressions, GuardrailError, warningsOf } from '../../modules/guardrails';

function table(stacks: readonly StackSummary[]): string {
  const rows = [
    ['stack', 'account', 'region', 'resources', 'state key'],
    ...stacks.map((s) => [s.name, s.accountId, s.region, String(s.resourceCount), s.stateKey]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd()).join('\n');
}

export function main(argv: readonly string[]): number {
  const options = new Command('synth')
    .description('Synthesize every environment directory into Terraform JSON')
    .option('--environments <dir>', 'directory of environment directories (default: environments/)')
    .option('--outdir <dir>', 'output directory', process.env.CDKTF_OUTDIR ?? DEFAULT_OUTDIR)
    .parse(argv, { from: 'user' })
    .opts<{ environments?: string; outdir: string }>();
  const started = process.hrtime.bigint();
  try {
    const result = synthesize({ environmentsDir: options.environments, outdir: options.outdir });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(table(result.stacks));
    console.log(`\n${result.stacks.length} stacks from ${result.platform.environments.length} environments in ${result.outdir} (${ms.toFixed(0)} ms)`);
    const warnings = warningsOf(result.guardrails);
    if (warnings.length > 0) console.log(`\nguardrail warnings (${warnings.length}):\n${warnings.map(formatFinding).join('\n')}`);
    const suppressions = formatSuppressions(result.guardrails);
    if (suppressions) console.log(`\nguardrail suppressions:\n${suppressions}`);
    console.log(`\ncompliance:\n${formatComplianceSummary(result.guardrails)}`);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof GuardrailError) {
      console.error(`synth failed, nothing written:\n${error.message}`);
      return 1;
    }
    throw error;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
