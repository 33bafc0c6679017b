import { readEnvironment } from '../app/env';

/** What commands read and write, so tests can run them in-process. */
export interface CliIo {
  readonly cwd: string;
  /** The environment, `.env` of the working directory included. */
  readonly env: Readonly<Record<string, string | undefined>>;
  out(text: string): void;
  err(text: string): void;
}

/**
 * The real process: its working directory, environment (with `.env`), stdout and stderr.
 *
 * @example
 * ```ts
 * runRoutes(undefined, {}, processIo());
 * ```
 */
export function processIo(): CliIo {
  const cwd = process.cwd();
  return {
    cwd,
    env: readEnvironment(cwd),
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  };
}
