/**
 * Rows under headers, each column padded to its widest cell, two spaces apart (the CLI's tables).
 *
 * @example
 * ```ts
 * formatColumns(['ID', 'ROUTE'], [['1', 'A.b']]); // ['ID  ROUTE', '1   A.b']
 * ```
 */
export function formatColumns(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)];
}
