/**
 * Type-checks TypeScript sources (real files, or virtual ones held in memory) against RouteMQ's own
 * src/ with the TypeScript compiler API: `routemq` and `routemq/testing` resolve to src, everything else
 * to the repository's node_modules. Used by the docs-compile test and the `routemq new` template test.
 * @module
 */
import { join, resolve } from 'node:path';
import * as ts from 'typescript';

const ROOT = resolve(__dirname, '../..');

/** Compiler options of a RouteMQ app (what `routemq new` writes), pointed at src/. */
export const APP_COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2022.d.ts'],
  module: ts.ModuleKind.Node16,
  moduleResolution: ts.ModuleResolutionKind.Node16,
  strict: true,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  esModuleInterop: true,
  skipLibCheck: true,
  noEmit: true,
  types: ['node', 'jest'],
  typeRoots: [join(ROOT, 'node_modules/@types')],
  baseUrl: ROOT,
  paths: {
    routemq: [join(ROOT, 'src/index.ts')],
    'routemq/testing': [join(ROOT, 'src/testing/index.ts')],
    // Sources outside the repository (a scaffold in a temporary folder) find the libraries here.
    // @types first: for a package whose types are a separate @types package (ws), the package itself
    // would resolve to its untyped JavaScript.
    '*': [join(ROOT, 'node_modules/@types/*'), join(ROOT, 'node_modules/*')],
  },
};

/**
 * Type-checks `files` (absolute path -> source text; a path that exists on disk may be given with
 * `undefined` to read it) and returns every error, formatted with file and line.
 *
 * @example
 * ```ts
 * expect(typeCheck({ [join(dir, 'main.ts')]: 'import { createApp } from "routemq";' })).toEqual([]);
 * ```
 */
export function typeCheck(
  files: Readonly<Record<string, string | undefined>>,
  options: ts.CompilerOptions = APP_COMPILER_OPTIONS,
): string[] {
  const host = ts.createCompilerHost(options);
  const virtual = new Map(Object.entries(files).filter((e): e is [string, string] => e[1] !== undefined));
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (name) => virtual.has(name) || fileExists.call(host, name);
  host.readFile = (name) => virtual.get(name) ?? readFile.call(host, name);
  // Module resolution skips folders that do not exist: the virtual files' folders must.
  const { directoryExists } = host;
  host.directoryExists = (dir) =>
    [...virtual.keys()].some((file) => file.startsWith(`${dir}/`)) ||
    (directoryExists?.call(host, dir) ?? true);
  host.getSourceFile = (name, language, onError, create) => {
    const text = virtual.get(name);
    return text !== undefined
      ? ts.createSourceFile(name, text, language, true)
      : getSourceFile.call(host, name, language, onError, create);
  };
  const program = ts.createProgram(Object.keys(files), options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => format(d));
}

function format(diagnostic: ts.Diagnostic): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  if (!diagnostic.file || diagnostic.start === undefined) return message;
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return `${diagnostic.file.fileName.replace(`${ROOT}/`, '')}:${line + 1}:${character + 1}: ${message}`;
}
