/** Small helpers for GitHub-flavoured markdown that stays valid whatever the values contain. */

/** Escapes text for use inside HTML (and inside a markdown table cell). */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '&#124;')
    .replace(/\r?\n/g, ' ');
}

/** Inline code that survives backticks, pipes and HTML in the text (and does not trigger @mentions). */
export function code(text: string): string {
  return `<code>${escapeHtml(text)}</code>`;
}

/** A markdown table; `align` per column is "l" or "r". */
export function table(headers: readonly string[], align: readonly ('l' | 'r')[], rows: readonly string[][]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const separator = align.map((side) => (side === 'r' ? '---:' : ':---'));
  return [line(headers), line(separator), ...rows.map(line)].join('\n');
}

/** A GitHub alert block (`> [!WARNING]`). */
export function alert(kind: 'WARNING' | 'CAUTION' | 'NOTE', lines: readonly string[]): string {
  return [`> [!${kind}]`, ...lines.map((text) => `> ${text}`)].join('\n');
}

/** A collapsible section. */
export function details(summary: string, body: string): string {
  return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}
