import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { markedBlocks } from './code-blocks';
import { typeCheck } from './type-check';

// Every code block of the docs that is a whole program (```ts file=<name>) is type-checked against
// src/, as a file of a virtual folder per document: blocks of one page can import each other
// (`./app.module`), and `routemq` / `routemq/testing` resolve to this checkout.
const ROOT = resolve(__dirname, '../..');
const DOCS = [
  join(ROOT, 'README.md'),
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(ROOT, 'docs', f)),
];

function collect() {
  const files: Record<string, string> = {};
  const origin = new Map<string, string>();
  for (const doc of DOCS) {
    for (const block of markedBlocks(readFileSync(doc, 'utf8'))) {
      const path = join(ROOT, '.docs-check', basename(doc, '.md'), block.file);
      if (files[path] !== undefined)
        throw new Error(`${doc}:${block.line}: file=${block.file} is used twice`);
      files[path] = block.code;
      origin.set(path, `${basename(doc)}:${block.line}`);
    }
  }
  return { files, origin };
}

describe('code blocks in the docs', () => {
  const { files, origin } = collect();

  it('finds the marked blocks (a marker dropped by an edit would silently stop checking)', () => {
    const pages = new Set([...origin.values()].map((o) => o.split(':')[0]));
    for (const page of [
      'README.md',
      'testing.md',
      'cli.md',
      'routing.md',
      'migration.md',
      'getting-started.md',
      'batching.md',
    ])
      expect(pages).toContain(page);
  });

  it('compiles every marked block against src/ (strict, decorators on)', () => {
    const errors = typeCheck(files).map((e) => {
      const [path, ...rest] = e.split(': ');
      const absolute = join(ROOT, path.replace(/:\d+:\d+$/, ''));
      return origin.has(absolute) ? `${origin.get(absolute)} (${path}): ${rest.join(': ')}` : e;
    });
    expect(errors).toEqual([]);
  });
});

describe('markedBlocks', () => {
  it('takes blocks whose info string has file=, and nothing else', () => {
    const md = [
      '```ts file=a.ts',
      'export const a = 1;',
      '```',
      '```ts',
      'fragment(',
      '```',
      '- list item',
      '  ```ts file=b.ts',
      '  export const b = 2;',
      '  ```',
    ].join('\n');
    expect(markedBlocks(md)).toEqual([
      { file: 'a.ts', code: 'export const a = 1;\n', line: 1 },
      { file: 'b.ts', code: 'export const b = 2;\n', line: 8 },
    ]);
  });
});
