import { diffAttributes, type AttributeDiff } from './attribute-diff';
import { fitToLimit, type DetailBlock, type StackSection } from './comment-layout';
import {
  ACTION_GROUP_LABELS,
  ACTION_REASONS,
  DEFAULT_ARTIFACT_NAME,
  GITHUB_COMMENT_MAX_CHARS,
  MAX_LISTED_ADDRESSES,
  REPLACE_ORDER_LABELS,
} from './constants';
import { alert, code, details, table } from './markdown';
import { DEFAULT_MASK_OPTIONS, maskText, type MaskOptions } from './mask';
import type { ClassifiedChange, OutputChange, StackSummary } from './summarize';

/** How the comment is rendered. */
export interface RenderOptions {
  /**
   * What to mask even where the plan does not mark it sensitive.
   * @default DEFAULT_MASK_OPTIONS
   */
  mask: MaskOptions;
  /**
   * Longest comment, in characters; details are trimmed stack by stack above it.
   * @default GITHUB_COMMENT_MAX_CHARS (65,536)
   */
  maxChars: number;
  /**
   * Name of the workflow artifact that holds the full plans, named in the trimming note.
   * @default DEFAULT_ARTIFACT_NAME
   */
  artifactName: string;
  /**
   * Link to the workflow run, added to the trimming note when known.
   * @default undefined
   */
  runUrl?: string;
  /**
   * The commit the plans were made at, named at the top of the comment.
   * @default - not named
   */
  commit?: string;
  /**
   * When the plans were made (ISO 8601), named at the top of the comment.
   * @default - not named
   */
  plannedAt?: string;
  /**
   * The environment of a stack, for the summary table.
   * @default - the text before the stack name's first "-"
   */
  environmentOf?: (stack: string) => string;
}

/** The default render options. */
export const DEFAULT_RENDER_OPTIONS: RenderOptions = {
  mask: DEFAULT_MASK_OPTIONS,
  maxChars: GITHUB_COMMENT_MAX_CHARS,
  artifactName: DEFAULT_ARTIFACT_NAME,
};

const SUMMARY_HEADERS = ['Add', 'Change', 'Replace', 'Destroy', 'Import', 'Move', 'Forget', 'Read', 'No-op', 'Plan'];
const STATUS = { failed: '❌ failed', noChanges: '✅ no changes', planned: '✅ planned' };

function hasChanges(summary: StackSummary): boolean {
  const { noOp: _noOp, ...counts } = summary.counts;
  return Object.values(counts).some((count) => count > 0) || summary.outputs.length > 0;
}

function summaryTable(summary: StackSummary): string {
  const c = summary.counts;
  const counts = [c.add, c.change, c.replace, c.destroy, c.import, c.move, c.forget, c.read, c.noOp].map(String);
  return table(SUMMARY_HEADERS, [...counts.map(() => 'r' as const), 'l'], [[...counts, statusOf(summary)]]);
}

function address(change: ClassifiedChange, mask: MaskOptions): string {
  const deposed = change.deposed ? ` (deposed object ${change.deposed})` : '';
  return code(maskText(change.address, mask) + deposed);
}

function reason(change: ClassifiedChange): string {
  if (!change.actionReason) return '';
  return ` because ${ACTION_REASONS[change.actionReason] ?? change.actionReason.replace(/_/g, ' ')}`;
}

/** `+/-` (create before destroy) or `-/+` (destroy then create) for a replacement, as Terraform prints them. */
function replaceOrder(change: ClassifiedChange) {
  return change.change.actions[0] === 'create' ? REPLACE_ORDER_LABELS.createBeforeDestroy : REPLACE_ORDER_LABELS.destroyBeforeCreate;
}

function symbolOf(change: ClassifiedChange): string {
  return change.group === 'replace' ? replaceOrder(change).symbol : ACTION_GROUP_LABELS[change.group].symbol.trim() || '=';
}

/** "will be replaced (create replacement and then destroy) because …, moved from …, imported (id …)". */
function describe(change: ClassifiedChange, mask: MaskOptions): string {
  const order = change.group === 'replace' ? ` (${replaceOrder(change).order})` : '';
  const parts = [ACTION_GROUP_LABELS[change.group].verb + order + reason(change)];
  if (change.previousAddress !== undefined) parts.push(`moved from ${code(maskText(change.previousAddress, mask))}`);
  if (change.importing) {
    parts.push(change.importId !== undefined ? `imported (id ${code(maskText(change.importId, mask))})` : 'imported');
  }
  return parts.join(', ');
}

/** The first MAX_LISTED_ADDRESSES items as list lines (only those are rendered), then "…and N more". */
function listWithLimit<T>(items: readonly T[], render: (item: T) => string): string[] {
  const listed = items.slice(0, MAX_LISTED_ADDRESSES).map((item) => `- ${render(item)}`);
  return items.length <= MAX_LISTED_ADDRESSES ? listed : [...listed, `- …and ${items.length - MAX_LISTED_ADDRESSES} more`];
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

function destructiveWarning(summary: StackSummary, mask: MaskOptions): string | undefined {
  const destructive = summary.changes.filter((change) => change.group === 'destroy' || change.group === 'replace');
  if (destructive.length === 0) return undefined;
  const { destroy, replace } = summary.counts;
  return alert('WARNING', [
    `**${plural(destructive.length, 'destructive change')}:** ${destroy} to destroy, ${replace} to replace. Check that no data is lost.`,
    ...listWithLimit(destructive, (change) => `${address(change, mask)} ${describe(change, mask)}`),
  ]);
}

/**
 * Each kind of concern before any kind's second change (address order within a kind), so a list
 * cut at MAX_LISTED_ADDRESSES still names every kind: 25 IAM roles never hide a key policy.
 */
function concernsFirst(flagged: readonly ClassifiedChange[]): ClassifiedChange[] {
  const byConcern = new Map<string, ClassifiedChange[]>();
  for (const change of flagged) {
    const queue = byConcern.get(change.securityConcern!) ?? [];
    queue.push(change);
    byConcern.set(change.securityConcern!, queue);
  }
  const queues = [...byConcern.values()];
  const ordered: ClassifiedChange[] = [];
  for (let round = 0; ordered.length < flagged.length; round++) for (const queue of queues) if (queue[round]) ordered.push(queue[round]);
  return ordered;
}

function securityWarning(summary: StackSummary, mask: MaskOptions): string | undefined {
  const flagged = concernsFirst(summary.changes.filter((change) => change.securityConcern !== undefined));
  if (flagged.length === 0) return undefined;
  return alert('CAUTION', [
    `**${plural(flagged.length, 'security-sensitive change')}:** review these with care.`,
    ...listWithLimit(flagged, (change) => `${address(change, mask)} ${ACTION_GROUP_LABELS[change.group].verb} (${change.securityConcern})`),
  ]);
}

function driftNote(summary: StackSummary): string | undefined {
  const count = summary.drift.length;
  if (count === 0) return undefined;
  return alert('NOTE', [`**Drift:** ${plural(count, 'resource')} changed outside Terraform (details below).`]);
}

function failureNote(summary: StackSummary): string | undefined {
  return summary.failure ? alert('CAUTION', [`**The plan failed:** ${summary.failure}`]) : undefined;
}

function attributeTable(diffs: readonly AttributeDiff[], namePrefix = ''): string {
  if (diffs.length === 0) return '_No attribute changes._';
  const rows = diffs.map((diff) => {
    const path = namePrefix + (namePrefix && diff.path && !diff.path.startsWith('[') ? '.' : '') + diff.path;
    const name = code(path || '(whole value)') + (diff.forcesReplacement ? ' **forces replacement**' : '');
    return [name, code(diff.before), code(diff.after)];
  });
  return table(['Attribute', 'Before', 'After'], ['l', 'l', 'l'], rows);
}

/** Changes that remove the whole object get a sentence instead of every attribute going to null. */
const WHOLE_OBJECT_NOTES: Partial<Record<ClassifiedChange['group'], string>> = {
  destroy: '_The whole object is destroyed._',
  forget: '_Terraform stops managing the object; it is not destroyed._',
};

function changeDetails(change: ClassifiedChange, mask: MaskOptions): string {
  const title = `${code(symbolOf(change))} ${address(change, mask)} ${describe(change, mask)}`;
  const body = WHOLE_OBJECT_NOTES[change.group] ?? attributeTable(diffAttributes(change.change, mask, change.replacePaths, change.type));
  return details(title, body);
}

function outputRows(outputs: readonly OutputChange[], mask: MaskOptions): string {
  const rows: string[][] = [];
  for (const output of outputs) {
    const action = `${ACTION_GROUP_LABELS[output.group].symbol.trim()} ${output.group}`;
    const diffs = diffAttributes(output.change, mask);
    for (const diff of diffs.length > 0 ? diffs : [{ path: '', before: 'null', after: 'null' }]) {
      const path = output.name + (diff.path && !diff.path.startsWith('[') ? '.' : '') + diff.path;
      rows.push([code(path), action, code(diff.before), code(diff.after)]);
    }
  }
  return table(['Output', 'Action', 'Before', 'After'], ['l', 'l', 'l', 'l'], rows);
}

/** How dangerous a change is, for the order in which attribute details are kept: lower first. */
const DANGER: Record<ClassifiedChange['group'], number> = { destroy: 0, replace: 1, update: 3, create: 4, read: 5, forget: 6, 'no-op': 7 };
/** A security-sensitive update or create ranks right after replacements. */
const SECURITY_DANGER = 2;

export function dangerOf(change: ClassifiedChange): number {
  const rank = DANGER[change.group];
  return change.securityConcern !== undefined ? Math.min(rank, SECURITY_DANGER) : rank;
}

/** The attribute-detail blocks of a stack, most dangerous first: resource changes, then outputs, then drift. */
function detailBlocks(summary: StackSummary, mask: MaskOptions): DetailBlock[] {
  const blocks: DetailBlock[] = [];
  const changes = byDanger(summary);
  const changesHeading = `#### Resource changes (${summary.changes.length})`;
  for (const change of changes) blocks.push({ heading: changesHeading, render: () => changeDetails(change, mask) });
  if (summary.outputs.length > 0) {
    blocks.push({ heading: `#### Output changes (${summary.outputs.length})`, render: () => outputRows(summary.outputs, mask) });
  }
  const driftHeading = [
    `#### Drift: changed outside Terraform (${summary.drift.length})`,
    'Terraform found these differences while refreshing state; the planned changes above account for them.',
  ].join('\n\n');
  for (const change of summary.drift) {
    blocks.push({
      heading: driftHeading,
      render: () => {
        const verb = change.group === 'destroy' ? 'was deleted outside Terraform' : 'changed outside Terraform';
        const moved = change.previousAddress !== undefined ? `, moved from ${code(maskText(change.previousAddress, mask))}` : '';
        return details(
          `${address(change, mask)} ${change.group === 'no-op' ? 'has no attribute changes' : verb}${moved}`,
          attributeTable(diffAttributes(change.change, mask, [], change.type)),
        );
      },
    });
  }
  return blocks;
}

/** The changes in danger order: the order of the address list and of the attribute details. */
function byDanger(summary: StackSummary): ClassifiedChange[] {
  return [...summary.changes].sort((a, b) => dangerOf(a) - dangerOf(b));
}

/**
 * One stack's part of the comment: the always-kept head (heading, counts, failure, destructive and
 * security warnings), every changed address, and the attribute details (fitted by `fitToLimit`).
 */
export function renderStackSection(summary: StackSummary, options: RenderOptions = DEFAULT_RENDER_OPTIONS): StackSection {
  const head = [
    `### ${code(summary.stack)}`,
    summaryTable(summary),
    failureNote(summary),
    destructiveWarning(summary, options.mask),
    securityWarning(summary, options.mask),
    driftNote(summary),
  ].filter((part): part is string => part !== undefined);
  const ordered = byDanger(summary);
  const lines: string[] = []; // address lines rendered so far: the layout asks for some more than once
  return {
    stack: summary.stack,
    head: head.join('\n\n'),
    addressCount: ordered.length,
    addressLine: (index) =>
      (lines[index] ??= `- ${code(symbolOf(ordered[index]))} ${address(ordered[index], options.mask)} ${describe(ordered[index], options.mask)}`),
    details: detailBlocks(summary, options.mask),
  };
}

function statusOf(summary: StackSummary): string {
  return summary.failure ? STATUS.failed : hasChanges(summary) ? STATUS.planned : STATUS.noChanges;
}

const defaultEnvironmentOf = (stack: string) => stack.split('-')[0];

/** What the comment says first: the commit and time planned at, and one row per stack. */
function commentHeader(summaries: readonly StackSummary[], options: RenderOptions): string {
  const when = [
    options.commit ? `commit ${code(options.commit)}` : undefined,
    options.plannedAt ? `at ${options.plannedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, '')} UTC` : undefined,
  ].filter(Boolean);
  const planned = when.length > 0 ? `Planned at ${when.join(' ')}. ` : '';
  if (summaries.length === 0) {
    return `${planned}**No stack is affected:** the synthesized Terraform of every stack is the same as on the base branch, so nothing is planned and nothing will be applied.`;
  }
  const environmentOf = options.environmentOf ?? defaultEnvironmentOf;
  const rows = [...summaries]
    .sort((a, b) => (a.stack < b.stack ? -1 : a.stack > b.stack ? 1 : 0))
    .map((summary) => {
      const c = summary.counts;
      return [code(summary.stack), environmentOf(summary.stack), ...[c.add, c.change, c.replace, c.destroy].map(String), statusOf(summary)];
    });
  const summaryRows = table(['Stack', 'Environment', 'Add', 'Change', 'Replace', 'Destroy', 'Status'], ['l', 'l', 'r', 'r', 'r', 'r', 'l'], rows);
  return `${planned}Rebuilt from this run alone: only the stacks below were planned.\n\n${summaryRows}`;
}

/**
 * Renders the whole comment from this run's stacks alone (a stack not planned this time has no
 * section), sorted by stack name, within `options.maxChars`. No stacks: a comment saying so.
 */
export function renderComment(summaries: readonly StackSummary[], options: Partial<RenderOptions> = {}): string {
  const resolved: RenderOptions = { ...DEFAULT_RENDER_OPTIONS, ...options };
  return fitToLimit(
    commentHeader(summaries, resolved),
    summaries.map((summary) => renderStackSection(summary, resolved)),
    resolved,
  );
}
