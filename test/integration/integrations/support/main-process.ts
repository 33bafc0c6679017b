/**
 * Runs the built example app (`node dist/main.js`) as a process and collects everything it writes.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const MAIN = join(__dirname, '../../../../dist/main.js');

/** A running `node dist/main.js`. */
export interface MainProcess {
  readonly child: ChildProcess;
  /** stdout and stderr so far, interleaved. */
  output(): string;
  readonly exited: Promise<number | null>;
  /** Waits until `text` appears in the output (or the process exits, or 10 s pass). */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
}

/**
 * Starts the example app with only PATH and `env` (no inherited secrets, no .env surprises).
 *
 * @example
 * ```ts
 * const main = startMain({ MQTT_PORT: '0' });
 * await main.waitFor('route sensors/{device_id}/data');
 * ```
 */
export function startMain(env: Record<string, string>): MainProcess {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" first (npm test does).`);
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', ...env },
    cwd: join(__dirname, '../../../..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let code: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (exitCode) => {
      code = exitCode;
      resolve(exitCode);
    }),
  );
  return {
    child,
    output: () => output,
    exited,
    async waitFor(text, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!output.includes(text)) {
        if (code !== undefined || Date.now() > deadline) {
          throw new Error(`"${text}" never appeared (exit code ${code}); output:\n${output}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}
