/**
 * Running the built `routemq` executable (dist/lib/cli/main.js) as a process, and scaffolds linked to
 * this checkout without an install.
 * @module
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TestClient } from '../../utils/test-client';

export const ROOT = resolve(__dirname, '../../..');
export const CLI = join(ROOT, 'dist/lib/cli/main.js');

function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does).`);
}

/** Runs the CLI to completion. */
export function runCliProcess(args: string[], cwd: string, env: Record<string, string> = {}) {
  assertBuilt();
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A long-running process and everything it printed. */
export interface Running {
  readonly child: ChildProcess;
  output(): string;
  readonly exited: Promise<number | null>;
  /** Waits until the output holds `text` (counting only output after `from`). */
  waitFor(text: string | RegExp, timeoutMs?: number, from?: number): Promise<void>;
}

/** Starts `node <args>` with output captured. */
export function startProcess(args: string[], cwd: string, env: Record<string, string>): Running {
  assertBuilt();
  const child = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return {
    child,
    output: () => output,
    exited,
    async waitFor(text, timeoutMs = 30_000, from = 0) {
      const deadline = Date.now() + timeoutMs;
      const found = () => {
        const tail = output.slice(from);
        return typeof text === 'string' ? tail.includes(text) : text.test(tail);
      };
      while (!found()) {
        if (Date.now() > deadline) throw new Error(`${String(text)} never appeared; output:\n${output}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

/**
 * Makes a scaffold runnable without `npm install`: its node_modules link to this checkout (routemq
 * itself, whose package exports point at dist/lib) and to the libraries the scaffold imports.
 */
export function linkToCheckout(project: string): void {
  const modules = join(project, 'node_modules');
  mkdirSync(join(modules, '.bin'), { recursive: true });
  symlinkSync(ROOT, join(modules, 'routemq'), 'dir');
  for (const name of ['typescript', '@types', 'reflect-metadata', 'class-validator', 'class-transformer']) {
    symlinkSync(join(ROOT, 'node_modules', name), join(modules, name), 'dir');
  }
}

/**
 * Publishes `request` and resolves with the JSON of the first message on `replyTopic`, retrying with a
 * new connection until the deadline (the app may be restarting, the broker with it).
 */
export async function ask(
  port: number,
  request: string,
  replyTopic: string,
  timeoutMs = 30_000,
): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const client = await TestClient.connect(`mqtt://127.0.0.1:${port}`, 4);
      try {
        await client.subscribe(replyTopic);
        await client.publish(request, '');
        return (await client.next(replyTopic, 1000)).json;
      } finally {
        await client.close().catch(() => undefined);
      }
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
