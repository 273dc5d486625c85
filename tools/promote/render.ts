/** Text of the three reports: a promotion plan, the drift table, the status of each environment. */
import { CONFIG_FILE } from '../../environments/load';
import type { DriftReport } from './drift';
import { formatLeaf, formatPath } from './paths';
import type { PromotionPlan } from './promote';
import type { StatusReport } from './status';
import { renderTable, type TableFormat } from './table';

/** Commits listed per environment in `--status`; the rest are counted. */
export const MAX_LISTED_COMMITS = 20;

const SYMBOL = { added: '+', removed: '-', changed: '~' } as const;

export function renderPlan(plan: PromotionPlan, format: TableFormat, written: boolean): string {
  const { from, to, forced } = plan.step;
  const file = `environments/${to.name}/${CONFIG_FILE}`;
  const lines: string[] = [`Promote ${from.name} -> ${to.name}`];
  if (forced) {
    const skipped = forced.skipped.length > 0 ? `skips ${forced.skipped.join(', ')}` : 'goes against the chain';
    lines.push(`FORCED: ${skipped}; reason: ${forced.reason}`);
  }
  lines.push(`Pins of ${from.name} read from ${plan.source.ref}${plan.source.sha ? ` (${plan.source.sha.slice(0, 7)})` : ''}`);
  for (const warning of plan.source.warnings) lines.push(`WARNING: ${warning}`);
  lines.push('');
  if (plan.changes.length === 0) {
    lines.push(`${to.name} already pins every promotable value of ${from.name}; nothing to promote.`);
  } else {
    lines.push(`Pinned values that change in ${to.name} (${plan.changes.length}):`);
    lines.push(
      renderTable(
        ['field', `${to.name} now`, `${to.name} after (from ${from.name})`],
        plan.changes.map((change) => [formatPath(change.path), formatLeaf(change.current), formatLeaf(change.promoted)]),
        format,
      ),
    );
  }
  if (plan.skipped.length > 0) {
    lines.push('', `Not promoted (${plan.skipped.length}):`);
    for (const skip of plan.skipped) lines.push(`  ${formatPath(skip.path)} = ${formatLeaf(skip.value)}: ${skip.reason}`);
  }
  if (plan.onlyInTarget.length > 0) {
    lines.push('', `Only in ${to.name}, kept: ${plan.onlyInTarget.map((pin) => formatPath(pin.path)).join(', ')}`);
  }
  if (plan.changes.length > 0 && !plan.stacks) lines.push('', 'Synthesized Terraform: not compared (--no-synth).');
  if (plan.stacks) {
    lines.push('');
    if (plan.stacks.length === 0) {
      lines.push(`Synthesized Terraform: no stack changes (${plan.stackCount} stacks compared locally).`);
    } else {
      lines.push(`Synthesized Terraform that changes (${plan.stacks.length} of ${plan.stackCount} stacks, compared locally):`);
      for (const stack of plan.stacks) {
        lines.push(`  ${stack.stack}${stack.status === 'changed' ? '' : ` (stack ${stack.status})`}`);
        for (const kind of ['removed', 'changed', 'added'] as const) {
          for (const address of stack[kind]) lines.push(`    ${SYMBOL[kind]} ${address}`);
        }
      }
    }
  }
  if (plan.changes.length > 0) {
    lines.push('', written ? `Wrote ${file}; open a pull request with it.` : `Nothing written; run again with --write to update ${file}.`);
  }
  return lines.join('\n');
}

/** Widest line of the text reports: readable in a 120-column terminal. */
export const MAX_LINE_WIDTH = 120;

/**
 * The settings that differ, as one table when it fits in MAX_LINE_WIDTH columns (and always in
 * markdown); otherwise one block per setting, a line per environment, so the width no longer
 * grows with the number of environments. A value too long even for that is cut in the middle
 * (`…`); `--json` prints every value in full.
 */
export function renderDrift(report: DriftReport, format: TableFormat): string {
  const promotable = report.rows.filter((row) => row.promotable).length;
  const header = `Settings that differ across ${report.environments.join(', ')} (${report.rows.length}; ${promotable} promotable, marked *):`;
  if (report.rows.length === 0) return `No setting differs across ${report.environments.join(', ')}.`;
  const footer = 'Move promotable values with: npm run promote -- <from> <to>';
  const table = renderTable(
    ['setting', ...report.environments, 'promotable'],
    report.rows.map((row) => [formatPath(row.path), ...report.environments.map((env) => formatLeaf(row.values[env])), row.promotable ? '*' : '']),
    format,
  );
  if (format === 'markdown' || widestLine(table) <= MAX_LINE_WIDTH) return `${header}\n${table}\n\n${footer}`;

  const nameWidth = Math.max(...report.environments.map((env) => env.length));
  const valueWidth = MAX_LINE_WIDTH - 2 - nameWidth - 2;
  let cut = false;
  const blocks = report.rows.map((row) => {
    const lines = [`${formatPath(row.path)}${row.promotable ? ' *' : ''}`];
    for (const env of report.environments) {
      const value = formatLeaf(row.values[env]);
      const shown = value.length > valueWidth ? cutMiddle(value, valueWidth) : value;
      cut ||= shown !== value;
      lines.push(`  ${env.padEnd(nameWidth)}  ${shown}`);
    }
    return lines.join('\n');
  });
  const note = cut ? `\nValues cut with … are shown in full by: npm run promote -- --diff --json` : '';
  return `${header}\n\n${blocks.join('\n\n')}\n\n${footer}${note}`;
}

/** The report as JSON, every value in full (`--diff --json`); null where an environment does not set it. */
export function renderDriftJson(report: DriftReport): string {
  return JSON.stringify(
    {
      environments: report.environments,
      settings: report.rows.map((row) => ({ setting: formatPath(row.path), path: row.path, promotable: row.promotable, values: Object.fromEntries(report.environments.map((env) => [env, row.values[env] ?? null])) })),
    },
    null,
    2,
  );
}

function widestLine(text: string): number {
  return Math.max(...text.split('\n').map((line) => line.length));
}

/** `value` in `width` characters, its middle replaced by `…` (start and end tell values apart best). */
function cutMiddle(value: string, width: number): string {
  const head = Math.ceil((width - 1) / 2);
  return `${value.slice(0, head)}…${value.slice(value.length - (width - 1 - head))}`;
}

export function renderStatus(report: StatusReport, format: TableFormat): string {
  const blocks = report.environments.map((env) => {
    const place = !env.inChain
      ? ' (outside the promotion chain: deployed from its own config, nothing is promoted into it)'
      : env.previous
        ? ` (promoted from ${env.previous})`
        : ' (start of the chain)';
    const lines = [`${env.environment}${place}`];
    lines.push(env.deployed ? `  deployed: ${env.deployed.short} ${env.deployed.date} ${env.deployed.subject}` : '  deployed: never deployed');
    if (env.pins.length === 0) lines.push('  pinned: none');
    else {
      lines.push('  pinned:');
      lines.push(indent(renderTable(['field', 'value'], env.pins.map((pin) => [formatPath(pin.path), formatLeaf(pin.value)]), format), '    '));
    }
    if (env.previous) {
      if (env.waitingPins.length === 0) lines.push(`  waiting in ${env.previous}: no pinned value differs`);
      else {
        lines.push(`  waiting in ${env.previous}: ${env.waitingPins.length} pinned value(s) differ`);
        lines.push(
          indent(
            renderTable(['field', `${env.environment} now`, `${env.previous}`], env.waitingPins.map((pin) => [formatPath(pin.path), formatLeaf(pin.current), formatLeaf(pin.waiting)]), format),
            '    ',
          ),
        );
      }
    }
    const what = `environments/${env.previous ?? env.environment}/ or code`;
    if (!env.waitingCommits) lines.push(`  commits: never deployed, everything on ${report.branch} is waiting`);
    else if (env.waitingCommits.length === 0) lines.push(`  commits: none on ${report.branch} since ${env.deployed!.short} touching ${what}`);
    else {
      lines.push(`  commits: ${env.waitingCommits.length} on ${report.branch} since ${env.deployed!.short} touching ${what}:`);
      for (const commit of env.waitingCommits.slice(0, MAX_LISTED_COMMITS)) lines.push(`    ${commit.short} ${commit.date} ${commit.subject} [${commit.touches.join(', ')}]`);
      if (env.waitingCommits.length > MAX_LISTED_COMMITS) lines.push(`    ... and ${env.waitingCommits.length - MAX_LISTED_COMMITS} more`);
    }
    return lines.join('\n');
  });
  return blocks.join('\n\n');
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}
