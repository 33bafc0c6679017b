/**
 * Runs a compiled fixture of test/process-fixtures as a process and collects its output.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** A running fixture process. */
export interface FixtureProcess {
  readonly child: ChildProcess;
  output(): string;
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts `node dist/process-fixtures/<name>.js` with only PATH and `env`.
 *
 * @example
 * ```ts
 * const app = startFixture('rate-limit-app', { MQTT_BROKER: url });
 * await app.waitFor('connected; serving');
 * ```
 */
export function startFixture(name: string, env: Record<string, string>): FixtureProcess {
  const file = join(__dirname, `../../dist/process-fixtures/${name}.js`);
  if (!existsSync(file))
    throw new Error(`${file} is missing: run "npm run build && npm run build:fixtures" (npm test does).`);
  const child = spawn(process.execPath, [file], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    async waitFor(text, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!output.includes(text)) {
        if (child.exitCode !== null)
          throw new Error(`${name} exited (${child.exitCode}) before "${text}":\n${output}`);
        if (Date.now() > deadline) throw new Error(`"${text}" never appeared:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
