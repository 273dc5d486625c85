import { diffAttributes, type AttributeDiff } from './attribute-diff';
import { fitToLimit, trimmedDetailsNote, type StackSection } from './comment-layout';
import {
  ACTION_GROUP_LABELS,
  ACTION_REASONS,
  DEFAULT_ARTIFACT_NAME,
  detailsEndMarker,
  detailsStartMarker,
  GITHUB_COMMENT_MAX_CHARS,
  MAX_LISTED_ADDRESSES,
  stackEndMarker,
  stackStartMarker,
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
  const status = summary.failure ? STATUS.failed : hasChanges(summary) ? STATUS.planned : STATUS.noChanges;
  const counts = [c.add, c.change, c.replace, c.destroy, c.import, c.move, c.forget, c.read, c.noOp].map(String);
  return table(SUMMARY_HEADERS, [...counts.map(() => 'r' as const), 'l'], [[...counts, status]]);
}

function address(change: ClassifiedChange, mask: MaskOptions): string {
  const deposed = change.deposed ? ` (deposed object ${change.deposed})` : '';
  return code(maskText(change.address, mask) + deposed);
}

function reason(change: ClassifiedChange): string {
  if (!change.actionReason) return '';
  return ` because ${ACTION_REASONS[change.actionReason] ?? change.actionReason.replace(/_/g, ' ')}`;
}

/** "will be replaced because …, moved from …, imported (id …)". */
function describe(change: ClassifiedChange, mask: MaskOptions): string {
  const parts = [ACTION_GROUP_LABELS[change.group].verb + reason(change)];
  if (change.previousAddress !== undefined) parts.push(`moved from ${code(maskText(change.previousAddress, mask))}`);
  if (change.importing) {
    parts.push(change.importId !== undefined ? `imported (id ${code(maskText(change.importId, mask))})` : 'imported');
  }
  return parts.join(', ');
}

function listWithLimit(items: readonly string[]): string[] {
  if (items.length <= MAX_LISTED_ADDRESSES) return items.map((item) => `- ${item}`);
  const more = items.length - MAX_LISTED_ADDRESSES;
  return [...items.slice(0, MAX_LISTED_ADDRESSES).map((item) => `- ${item}`), `- …and ${more} more`];
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
    ...listWithLimit(destructive.map((change) => `${address(change, mask)} ${describe(change, mask)}`)),
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
    ...listWithLimit(
      flagged.map(
        (change) => `${address(change, mask)} ${ACTION_GROUP_LABELS[change.group].verb} (${change.securityConcern})`,
      ),
    ),
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
  const symbol = ACTION_GROUP_LABELS[change.group].symbol;
  const title = `${code(symbol.trim() || '=')} ${address(change, mask)} ${describe(change, mask)}`;
  const body = WHOLE_OBJECT_NOTES[change.group] ?? attributeTable(diffAttributes(change.change, mask, change.replacePaths));
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

/**
 * The details of a stack, or undefined when they are longer than `maxChars`: such details can never be in the
 * comment, so rendering stops there (of a plan of 10,000 changes, ~200 are rendered).
 */
function detailsBody(summary: StackSummary, mask: MaskOptions, maxChars: number): string | undefined {
  let renderedChars = 0; // of the change details so far: a lower bound of the body's length
  const renderEach = <T>(items: readonly T[], render: (item: T) => string): string | undefined => {
    const rendered: string[] = [];
    for (const item of items) {
      rendered.push(render(item));
      renderedChars += rendered[rendered.length - 1].length;
      if (renderedChars > maxChars) return undefined;
    }
    return rendered.join('\n');
  };
  const parts: string[] = [];
  if (summary.changes.length > 0) {
    const changes = renderEach(summary.changes, (change) => changeDetails(change, mask));
    if (changes === undefined) return undefined;
    parts.push(`#### Resource changes (${summary.changes.length})`, changes);
  }
  if (summary.outputs.length > 0) {
    parts.push(`#### Output changes (${summary.outputs.length})`);
    parts.push(outputRows(summary.outputs, mask));
  }
  if (summary.drift.length > 0) {
    const drift = renderEach(summary.drift, (change) => {
      const verb = change.group === 'destroy' ? 'was deleted outside Terraform' : 'changed outside Terraform';
      const moved = change.previousAddress !== undefined ? `, moved from ${code(maskText(change.previousAddress, mask))}` : '';
      return details(
        `${address(change, mask)} ${change.group === 'no-op' ? 'has no attribute changes' : verb}${moved}`,
        attributeTable(diffAttributes(change.change, mask)),
      );
    });
    if (drift === undefined) return undefined;
    parts.push(`#### Drift: changed outside Terraform (${summary.drift.length})`);
    parts.push('Terraform found these differences while refreshing state; the planned changes above account for them.');
    parts.push(drift);
  }
  return parts.join('\n\n');
}

/**
 * Renders one stack's part of the comment: hidden markers, summary table, failure, destructive and security
 * warnings (always kept), then the trimmable details (resource changes, output changes, drift). Details longer
 * than `options.maxChars` are replaced by the trimming note at once, as `fitToLimit` would replace them: they
 * are not rendered in full only to be dropped.
 */
export function renderStackSection(summary: StackSummary, options: RenderOptions = DEFAULT_RENDER_OPTIONS): StackSection {
  const kept = [
    `### ${code(summary.stack)}`,
    summaryTable(summary),
    failureNote(summary),
    destructiveWarning(summary, options.mask),
    securityWarning(summary, options.mask),
    driftNote(summary),
  ].filter((part): part is string => part !== undefined);
  const body = detailsBody(summary, options.mask, options.maxChars) ?? trimmedDetailsNote(options);
  const text = [
    stackStartMarker(summary.stack),
    kept.join('\n\n'),
    '',
    detailsStartMarker(summary.stack),
    body,
    detailsEndMarker(summary.stack),
    stackEndMarker(summary.stack),
  ].join('\n');
  return { stack: summary.stack, text };
}

/**
 * Renders the whole comment for the given stacks, sorted by stack name, trimmed to `options.maxChars`.
 * @param existingSections sections of other stacks (from the comment already on the pull request) to keep
 */
export function renderComment(
  summaries: readonly StackSummary[],
  options: Partial<RenderOptions> = {},
  existingSections: readonly StackSection[] = [],
): string {
  const resolved: RenderOptions = { ...DEFAULT_RENDER_OPTIONS, ...options };
  const fresh = summaries.map((summary) => renderStackSection(summary, resolved));
  const freshStacks = new Set(fresh.map((section) => section.stack));
  const sections = [...existingSections.filter((section) => !freshStacks.has(section.stack)), ...fresh];
  return fitToLimit(sections, resolved);
}
