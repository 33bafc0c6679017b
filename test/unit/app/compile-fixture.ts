import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import type { Class } from '../../../src/metadata/types';

/**
 * Compiles a fixture app the way a toolchain without decorator metadata does (tsx/esbuild, vitest 3,
 * Bun: experimentalDecorators on, emitDecoratorMetadata off), or with it (tsc), and evaluates it with
 * the test's module registry (so `routemq` is this checkout's source). Returns its exports.
 */
export function loadFixture(file: string, metadata: boolean): Record<string, Class> {
  return loadSource(readFileSync(join(__dirname, 'fixtures', file), 'utf8'), metadata);
}

/** The same for source text (a code block of a docs page). */
export function loadSource(source: string, metadata: boolean): Record<string, Class> {
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      experimentalDecorators: true,
      emitDecoratorMetadata: metadata,
      useDefineForClassFields: false,
    },
  });
  const module = { exports: {} as Record<string, Class> };
  const run = new Function('require', 'module', 'exports', outputText) as (
    r: NodeJS.Require,
    m: typeof module,
    e: Record<string, Class>,
  ) => void;
  run(require, module, module.exports);
  return module.exports;
}
