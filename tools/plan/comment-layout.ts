import {
  COMMENT_MARKER,
  COMMENT_TITLE,
  detailsEndMarker,
  detailsStartMarker,
  stackEndMarker,
  stackStartMarker,
} from './constants';
import { compareStrings } from './summarize';

/** One attribute-detail block of a stack (a resource's table, the outputs table, a drift entry). */
export interface DetailBlock {
  /** Heading the block is listed under (`#### Resource changes (3)`); repeated blocks share it. */
  readonly heading: string;
  /** Rendered only when the comment has room for it. */
  readonly render: () => string;
}

/**
 * One stack's part of the comment, in the order it is given up when the comment is too long:
 * the head is always kept, then every changed address, then attribute details (most dangerous
 * first).
 */
export interface StackSection {
  readonly stack: string;
  /** Heading, counts, failure, destructive and security warnings: always kept. */
  readonly head: string;
  /** How many changed addresses the stack has. */
  readonly addressCount: number;
  /** The line of the `index`th changed address with its action (rendered only when there is room for it). */
  readonly addressLine: (index: number) => string;
  /** Attribute details, most dangerous first. */
  readonly details: readonly DetailBlock[];
}

/** What the comment needs besides the stacks. */
export interface LayoutOptions {
  maxChars: number;
  artifactName: string;
  runUrl?: string;
}

/** The note that says details were left out and where the full plan is. */
export function trimmedDetailsNote(options: LayoutOptions, what = 'Details'): string {
  const where = options.runUrl
    ? `the workflow artifact \`${options.artifactName}\` of [this run](${options.runUrl})`
    : `the workflow artifact \`${options.artifactName}\``;
  return `_${what} left out to keep this comment under GitHub's ${options.maxChars.toLocaleString('en-US')}-character limit. The full plan is in ${where}._`;
}

/** Room reserved per stack for the notes that may be added when it is trimmed. */
function reservedNotes(options: LayoutOptions): number {
  return trimmedDetailsNote(options, 'Details of 1000000 of 1000000 entries (the least dangerous)').length + 40;
}

/**
 * Shares `budget` between demands: every demand below an equal share gets all it asks, the rest
 * split what is left equally (the largest are cut first).
 */
export function shareBudget(demands: readonly number[], budget: number): number[] {
  const caps = new Array<number>(demands.length).fill(0);
  const order = demands.map((demand, index) => ({ demand, index })).sort((a, b) => a.demand - b.demand || a.index - b.index);
  let left = Math.max(0, budget);
  order.forEach(({ demand, index }, position) => {
    const share = Math.floor(left / (order.length - position));
    caps[index] = Math.min(demand, share);
    left -= caps[index];
  });
  return caps;
}

/** Renders address lines while their length stays within `limit`; the lines and their length (with newlines). */
function addressesWithin(section: StackSection, limit: number): { lines: string[]; length: number } {
  const lines: string[] = [];
  let length = 0;
  for (let index = 0; index < section.addressCount; index++) {
    const line = section.addressLine(index);
    if (length + line.length + 1 > limit) break;
    lines.push(line);
    length += line.length + 1;
  }
  return { lines, length };
}

/** The address lines that fit in `cap` characters, with a "…and N more" line when some do not. */
function fitAddresses(section: StackSection, cap: number, options: LayoutOptions): string[] {
  const tail = (more: number) => `- …and ${more} more. ${trimmedDetailsNote(options, 'Addresses')}`;
  const all = addressesWithin(section, cap);
  if (all.lines.length === section.addressCount) return all.lines;
  const room = cap - tail(section.addressCount).length - 1;
  const kept = addressesWithin(section, Math.max(0, room)).lines;
  return [...kept, tail(section.addressCount - kept.length)];
}

/** What a block costs in the comment: its text, and its heading counted every time (an upper bound). */
function blockCost(block: DetailBlock, text: string): number {
  return text.length + block.heading.length + 4;
}

/** Length of a stack's details when rendered in full, counted only up to `limit` (above it nothing more is rendered). */
function detailsDemand(details: readonly DetailBlock[], limit: number, cache: Map<DetailBlock, string>): number {
  let total = 0;
  for (const block of details) {
    const text = block.render();
    cache.set(block, text);
    total += blockCost(block, text);
    if (total > limit) return total;
  }
  return total;
}

function renderSection(section: StackSection, addresses: readonly string[], details: string): string {
  const changes = section.addressCount > 0 ? [`#### Changes (${section.addressCount})`, addresses.join('\n')].join('\n\n') : undefined;
  return [
    stackStartMarker(section.stack),
    section.head,
    ...(changes ? ['', changes] : []),
    '',
    detailsStartMarker(section.stack),
    details,
    detailsEndMarker(section.stack),
    stackEndMarker(section.stack),
  ].join('\n');
}

/** The details of a stack that fit in `cap`, most dangerous first, under their headings, with a note when some were left out. */
function fitDetails(section: StackSection, cap: number, options: LayoutOptions, cache: Map<DetailBlock, string>): string {
  const chosen: DetailBlock[] = [];
  let used = 0;
  for (const block of section.details) {
    const text = cache.get(block) ?? block.render();
    cache.set(block, text);
    const cost = blockCost(block, text);
    if (used + cost > cap) break;
    chosen.push(block);
    used += cost;
  }
  const parts: string[] = [];
  let heading: string | undefined;
  for (const block of chosen) {
    if (block.heading !== heading) {
      heading = block.heading;
      parts.push(heading);
    }
    parts.push(cache.get(block)!);
  }
  const left = section.details.length - chosen.length;
  if (left > 0) {
    const what = chosen.length === 0 ? 'Details' : `Details of ${left} of ${section.details.length} entries (the least dangerous)`;
    parts.push(trimmedDetailsNote(options, what));
  }
  return parts.join('\n\n');
}

/**
 * Assembles the comment under `header` within `options.maxChars`. The heads of all stacks are
 * always kept; then every changed address, lists shared fairly when they do not all fit (the
 * longest cut first, with "…and N more"); then attribute details, shared the same way and filled
 * most dangerous first. Only when the heads alone are too long is the text cut, with a note.
 */
export function fitToLimit(header: string, sections: readonly StackSection[], options: LayoutOptions): string {
  const sorted = [...sections].sort((a, b) => compareStrings(a.stack, b.stack));
  const assemble = (texts: readonly string[]) => [COMMENT_MARKER, COMMENT_TITLE, '', header, '', ...texts.map((text) => `${text}\n`)].join('\n');
  const bare = assemble(sorted.map((section) => renderSection(section, [], '')));
  const note = trimmedDetailsNote(options);
  if (bare.length + sorted.length * reservedNotes(options) > options.maxChars) {
    const text = assemble(sorted.map((section) => renderSection(section, [], note)));
    return text.length <= options.maxChars ? text : `${text.slice(0, options.maxChars - note.length - 2)}\n\n${note}`;
  }
  const cache = new Map<DetailBlock, string>();
  // Everything fits: the whole comment (rendering stops as soon as a part is longer than the limit).
  const allAddresses = sorted.map((section) => addressesWithin(section, options.maxChars));
  const everyAddress = allAddresses.every((a, index) => a.lines.length === sorted[index].addressCount);
  // Details are rendered for this check only when every address fits (otherwise only as far as the budget below allows).
  const whole = everyAddress ? sorted.map((section) => detailsDemand(section.details, options.maxChars, cache)) : [];
  const estimate = bare.length + [...allAddresses.map((a) => a.length), ...whole].reduce((sum, n) => sum + n, 0);
  if (everyAddress && estimate <= options.maxChars * 2) {
    const full = assemble(sorted.map((section, index) => renderSection(section, allAddresses[index].lines, fitDetails(section, Number.POSITIVE_INFINITY, options, cache))));
    if (full.length <= options.maxChars) return full;
  }
  let budget = options.maxChars - bare.length - sorted.length * reservedNotes(options);
  const addressDemand = allAddresses.map((a, index) => (a.lines.length === sorted[index].addressCount ? a.length : options.maxChars));
  const addressCaps = shareBudget(addressDemand, budget);
  const addresses = sorted.map((section, index) =>
    addressCaps[index] >= addressDemand[index] ? allAddresses[index].lines : fitAddresses(section, addressCaps[index], options),
  );
  budget -= addresses.reduce((sum, lines) => sum + lines.reduce((s, line) => s + line.length + 1, 0), 0);
  const detailCaps = shareBudget(
    sorted.map((section) => detailsDemand(section.details, Math.max(0, budget), cache)),
    budget,
  );
  return assemble(sorted.map((section, index) => renderSection(section, addresses[index], fitDetails(section, detailCaps[index], options, cache))));
}
