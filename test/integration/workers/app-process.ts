import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const FIXTURE = join(__dirname, '../../../dist/process-fixtures/workers-app.js');

/** The workers fixture app running as a supervisor process, with its output collected. */
export interface AppProcess {
  readonly child: ChildProcess;
  output(): string;
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `node dist/process-fixtures/workers-app.js` with the given environment. */
export function startWorkersApp(env: Record<string, string>): AppProcess {
  if (!existsSync(FIXTURE))
    throw new Error(`${FIXTURE} is missing: run "npm run build && npm run build:fixtures" (npm test does).`);
  const child = spawn(process.execPath, [FIXTURE], {
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
          throw new Error(`the app exited (${child.exitCode}) before "${text}":\n${output}`);
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
