/** Tables as aligned text (terminal) or markdown (a pull request body). */
export type TableFormat = 'text' | 'markdown';

export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[], format: TableFormat = 'text'): string {
  if (format === 'markdown') {
    const cell = (value: string) => value.replace(/\|/g, '\\|').replace(/\n/g, ' ');
    const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
    return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
  }
  const all = [headers, ...rows];
  const widths = headers.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((value, column) => value.padEnd(widths[column])).join('  ').trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
