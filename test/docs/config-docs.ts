import type { ConfigField, ConfigSection } from '../../src/app/config-field';
import { CONFIG_TABLE } from '../../src/app/config-table';

/** The markers around a generated table in docs/configuration.md. */
export function markersOf(section: ConfigSection): { start: string; end: string } {
  return {
    start: `<!-- generated from src/app/config-table.ts: ${section} -->`,
    end: `<!-- end of generated ${section} table -->`,
  };
}

const escapeCell = (text: string): string => text.replace(/\|/g, '\\|');

/**
 * The table of one section, one row per variable of the configuration table, laid out as Prettier lays
 * out markdown tables (cells padded to the column width), so `prettier --check` accepts the docs as written.
 */
export function renderSection(section: ConfigSection): string {
  const rows = Object.entries(CONFIG_TABLE as Record<string, ConfigField<unknown>>)
    .filter(([, field]) => field.section === section)
    .map(([option, field]) => [
      `\`${field.variable}\``,
      `\`${option}\``,
      escapeCell(field.defaultText),
      escapeCell(field.description),
    ]);
  const header = ['variable', 'option', 'default', 'meaning'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Replaces (or reads) the generated region of `section` in the text of docs/configuration.md. */
export function generatedRegion(
  doc: string,
  section: ConfigSection,
): { before: string; body: string; after: string } {
  const { start, end } = markersOf(section);
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  if (from === -1 || to < from)
    throw new Error(`docs/configuration.md has no "${start}" ... "${end}" region`);
  return {
    before: doc.slice(0, from + start.length),
    body: doc.slice(from + start.length, to).trim(),
    after: doc.slice(to),
  };
}
