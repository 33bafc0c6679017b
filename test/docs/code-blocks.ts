/**
 * Finds the code blocks of Markdown files that are marked as whole programs: a fence whose info string
 * names the file, e.g. ```` ```ts file=app.module.ts ````. Blocks without `file=` are fragments and are
 * not compiled.
 * @module
 */

/** A marked block: its file name, text and where it starts. */
export interface CodeBlock {
  readonly file: string;
  readonly code: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
}

const FENCE = /^(\s*)(`{3,}|~{3,})(.*)$/;
const FILE_ATTRIBUTE = /(?:^|\s)file=([^\s]+)/;

/**
 * The `file=` blocks of one Markdown text, in order.
 *
 * @example
 * ```ts
 * markedBlocks('```ts file=a.ts\nexport const a = 1;\n```'); // [{ file: 'a.ts', code: 'export const a = 1;\n', line: 1 }]
 * ```
 */
export function markedBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, info] = open;
    const close = lines.findIndex((l, j) => j > i && closes(l.trim(), fence));
    const end = close < 0 ? lines.length : close;
    const file = FILE_ATTRIBUTE.exec(info)?.[1];
    if (file) {
      const body = lines.slice(i + 1, end).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l));
      blocks.push({ file, code: `${body.join('\n')}\n`, line: i + 1 });
    }
    i = end;
  }
  return blocks;
}

/** A closing fence: the opening fence's character, at least as many times, and nothing else. */
function closes(line: string, fence: string): boolean {
  return line.length >= fence.length && [...line].every((c) => c === fence[0]);
}
