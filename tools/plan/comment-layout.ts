import {
  COMMENT_MARKER,
  COMMENT_TITLE,
  detailsEndMarker,
  detailsStartMarker,
  STACK_START_MARKER_PATTERN,
  stackEndMarker,
} from './constants';
import { compareStrings } from './summarize';

/** One stack's part of the comment, markers included. */
export interface StackSection {
  stack: string;
  text: string;
}

/** What the trimming note needs to say where the full plan is. */
export interface TrimNoteOptions {
  maxChars: number;
  artifactName: string;
  runUrl?: string;
}

/** The note that replaces a stack's trimmed details. */
export function trimmedDetailsNote(options: TrimNoteOptions): string {
  const where = options.runUrl
    ? `the workflow artifact \`${options.artifactName}\` of [this run](${options.runUrl})`
    : `the workflow artifact \`${options.artifactName}\``;
  return `_Details left out to keep this comment under GitHub's ${options.maxChars.toLocaleString('en-US')}-character limit. The full plan is in ${where}._`;
}

/** Joins sections (sorted by stack name) under the comment marker and title. */
export function assembleComment(sections: readonly StackSection[]): string {
  const sorted = [...sections].sort((a, b) => compareStrings(a.stack, b.stack));
  return [COMMENT_MARKER, COMMENT_TITLE, '', ...sorted.map((section) => `${section.text}\n`)].join('\n');
}

/** The stack sections of an existing comment body; text outside the markers is dropped. */
export function parseSections(body: string): StackSection[] {
  const sections: StackSection[] = [];
  for (const match of body.matchAll(STACK_START_MARKER_PATTERN)) {
    const stack = match[1];
    const start = match.index ?? 0;
    const endMarker = stackEndMarker(stack);
    const end = body.indexOf(endMarker, start);
    if (end < 0) continue; // a section cut by a hard truncation: dropped, the next run of that stack adds it again
    sections.push({ stack, text: body.slice(start, end + endMarker.length) });
  }
  return sections;
}

function detailsRange(section: StackSection): { start: number; end: number } | undefined {
  const startMarker = detailsStartMarker(section.stack);
  const start = section.text.indexOf(startMarker);
  const end = section.text.indexOf(detailsEndMarker(section.stack));
  if (start < 0 || end < start) return undefined;
  return { start: start + startMarker.length, end };
}

function withDetails(section: StackSection, replacement: string): StackSection {
  const range = detailsRange(section);
  if (!range) return section;
  return { stack: section.stack, text: `${section.text.slice(0, range.start)}\n${replacement}\n${section.text.slice(range.end)}` };
}

/**
 * Assembles the comment and, while it is longer than `options.maxChars`, replaces the details of the stack with
 * the largest details by a note saying where the full plan is. Summaries are kept. Only when the summaries alone
 * are too long is the text cut, with the same note at the end.
 */
export function fitToLimit(sections: readonly StackSection[], options: TrimNoteOptions): string {
  const note = trimmedDetailsNote(options);
  let current = [...sections];
  let text = assembleComment(current);
  while (text.length > options.maxChars) {
    let largest = -1;
    let largestLength = note.length + 2; // trimming anything shorter would not make the comment shorter
    current.forEach((section, index) => {
      const range = detailsRange(section);
      const length = range ? range.end - range.start : 0;
      const trimmed = range !== undefined && section.text.slice(range.start, range.end).trim() === note;
      if (!trimmed && length > largestLength) {
        largest = index;
        largestLength = length;
      }
    });
    if (largest < 0) return `${text.slice(0, options.maxChars - note.length - 2)}\n\n${note}`;
    current = current.map((section, index) => (index === largest ? withDetails(section, note) : section));
    text = assembleComment(current);
  }
  return text;
}
