import { existsSync, watch as watchFolder } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadConfig } from '../../app/config';
import { AppProcess } from '../dev/app-process';
import { watchTypeScript, type Watch } from '../dev/typescript-watch';
import { resolveEntry } from '../entry';
import type { CliIo } from '../io';

/** Options of `routemq dev`. */
export interface DevOptions {
  /** tsconfig of the project (default tsconfig.json). */
  project?: string;
  /** false: do not compile, only restart when the entry's folder changes (JavaScript projects). */
  build?: boolean;
}

/**
 * `routemq dev [entry]`: builds the project in watch mode and runs the entry; on every successful
 * rebuild the app is drained (SIGTERM) and started again, so route changes are served at once. A build
 * with errors keeps the running app. Resolves when `signal` aborts (SIGINT/SIGTERM in the CLI).
 *
 * @example
 * ```ts
 * await runDev(undefined, {}, io, abortController.signal);
 * ```
 */
export async function runDev(
  entry: string | undefined,
  options: DevOptions,
  io: CliIo,
  signal: AbortSignal,
): Promise<void> {
  const file = resolveEntry(entry, io.cwd);
  const config = loadConfig(io.env);
  const app = new AppProcess({
    entry: file,
    cwd: io.cwd,
    // Logs for people by default in development; LOG_PRETTY=0 keeps JSON lines.
    env: { LOG_PRETTY: '1', ...io.env },
    stopTimeoutMs: config.shutdownTimeoutMs + 5000,
    log: io.err,
  });
  const watch = startWatching(file, options, io, () => void app.restart());
  await new Promise<void>((done) => signal.addEventListener('abort', () => done(), { once: true }));
  watch.close();
  await app.stop();
}

function startWatching(file: string, options: DevOptions, io: CliIo, restart: () => void): Watch {
  const project = options.project ?? 'tsconfig.json';
  if (options.build !== false && existsSync(resolve(io.cwd, project))) {
    let started = Date.now();
    return watchTypeScript(io.cwd, project, {
      report: (text) => {
        if (text.includes('Starting')) started = Date.now();
        io.err(text);
      },
      built: (errors) => {
        if (errors > 0) return io.err(`[routemq dev] ${errors} error(s): the running app is kept`);
        io.err(`[routemq dev] built in ${Date.now() - started} ms`);
        restart();
      },
    });
  }
  // Nothing to compile: restart on any change under the entry's folder (recursive fs.watch is
  // supported on Linux, macOS and Windows since Node 20), at most once per burst of events.
  let timer: NodeJS.Timeout | undefined;
  const watcher = watchFolder(dirname(file), { recursive: true }, () => {
    clearTimeout(timer);
    timer = setTimeout(restart, 100);
  });
  restart();
  return { close: () => (clearTimeout(timer), watcher.close()) };
}
