import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type * as TypeScript from 'typescript';

/** A running watch: close() stops it. */
export interface Watch {
  close(): void;
}

/** What a watch reports. */
export interface TypeScriptWatchEvents {
  /** A build finished with this many errors (0: the output is up to date). */
  built(errors: number): void;
  /** Compiler diagnostics and status lines, formatted for a terminal. */
  report(text: string): void;
}

/**
 * Watches and incrementally rebuilds a TypeScript project with the compiler's own watch mode (what
 * `tsc --watch` runs): it watches exactly the files of the program, so no separate file watcher is
 * needed. TypeScript is loaded from the project (a devDependency of every RouteMQ app).
 *
 * @example
 * ```ts
 * const watch = watchTypeScript('/app', 'tsconfig.json', { built: (n) => n === 0 && restart(), report: console.error });
 * ```
 */
export function watchTypeScript(cwd: string, project: string, events: TypeScriptWatchEvents): Watch {
  const ts = loadTypeScript(cwd);
  const format: TypeScript.FormatDiagnosticsHost = {
    getCanonicalFileName: (name) => name,
    getCurrentDirectory: () => cwd,
    getNewLine: () => '\n',
  };
  const host = ts.createWatchCompilerHost(
    resolve(cwd, project),
    {},
    ts.sys,
    ts.createEmitAndSemanticDiagnosticsBuilderProgram,
    (diagnostic) => events.report(ts.formatDiagnosticsWithColorAndContext([diagnostic], format).trimEnd()),
    (diagnostic, _newLine, _options, errorCount) => {
      events.report(`[routemq dev] ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
      // 6193/6194: "Found N error(s). Watching for file changes." ends every build.
      if (diagnostic.code === 6193 || diagnostic.code === 6194) events.built(errorCount ?? 0);
    },
  );
  const program = ts.createWatchProgram(host);
  return { close: () => program.close() };
}

function loadTypeScript(cwd: string): typeof TypeScript {
  try {
    return createRequire(resolve(cwd, 'package.json'))('typescript') as typeof TypeScript;
  } catch {
    // The project has no TypeScript of its own (rare): use the one next to RouteMQ, if any.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('typescript') as typeof TypeScript;
  }
}
