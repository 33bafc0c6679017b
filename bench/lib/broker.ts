/**
 * The benchmark's own Mosquitto, on a free loopback port, with a config that drops nothing.
 * @module
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Broker {
  readonly url: string;
  readonly pid: number | undefined;
  readonly config: string;
  stop(): Promise<void>;
}

/**
 * TCP_NODELAY on the broker's sockets (without it QoS 0 p50 was 10-15 ms), persistence off, and the
 * in-flight window and queue raised far above the load so that nothing is dropped (the defaults, 20
 * and 1000, silently drop QoS 1 messages beyond the queue: docs/reliability.md).
 */
export function benchmarkConfig(port: number): string {
  return [
    `listener ${port} 127.0.0.1`,
    'allow_anonymous true',
    'persistence false',
    'set_tcp_nodelay true',
    'max_inflight_messages 1000',
    'max_queued_messages 1000000',
    'max_queued_bytes 0',
    'log_type error',
    '',
  ].join('\n');
}

export async function startBroker(): Promise<Broker> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'routemq-bench-'));
  const path = join(dir, 'mosquitto.conf');
  const config = benchmarkConfig(port);
  writeFileSync(path, config, { mode: 0o644 });
  const child = spawn('mosquitto', ['-c', path], { stdio: ['ignore', 'ignore', 'inherit'] });
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error) =>
      reject(new Error(`cannot run mosquitto (is it installed?): ${error.message}`)),
    );
    child.once('exit', (code) => reject(new Error(`mosquitto exited with code ${code} before listening`)));
  });
  failed.catch(() => undefined);
  await Promise.race([waitForPort(port), failed]);
  return {
    url: `mqtt://127.0.0.1:${port}`,
    pid: child.pid,
    config,
    stop: async () => {
      await terminate(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `mosquitto 2.0.11`, or what went wrong. */
export function mosquittoVersion(): string {
  const result = spawnSync('mosquitto', ['-h'], { encoding: 'utf8' });
  const line = `${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n').find((l) => /version/i.test(l));
  return line?.trim() ?? 'unknown';
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

async function waitForPort(port: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await canConnect(port))) {
    if (Date.now() > deadline) throw new Error(`mosquitto did not listen on port ${port} within 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
