/**
 * A Redis of a test's own, on a free port, to kill and restart (the shared one on 6379 stays untouched).
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../../utils/free-port';
import { waitForPort } from '../../../utils/wait-for-port';

/** A running dedicated redis-server. */
export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** Kills the process (SIGKILL: an outage, not a shutdown). */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty: no persistence). */
  restart(): Promise<void>;
  /** Kills it for good. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts `redis-server --port <free> --save '' --appendonly no`.
 *
 * @example
 * ```ts
 * const redis = await startRedisServer();
 * await redis.kill(); // outage
 * await redis.restart();
 * ```
 */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  let current: ChildProcess | undefined = await spawnReady(port);
  const kill = async (): Promise<void> => {
    const child = current;
    current = undefined;
    if (child) await terminate(child);
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill,
    async restart() {
      await kill();
      current = await spawnReady(port);
    },
    stop: kill,
  };
}

async function spawnReady(port: number): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error) =>
      reject(
        new Error(
          `Cannot run redis-server (is it installed? apt-get install redis-server): ${error.message}`,
        ),
      ),
    );
    child.once('exit', (code) => reject(new Error(`redis-server exited (code ${code}):\n${output}`)));
  });
  failed.catch(() => undefined);
  try {
    await Promise.race([waitForPort(port, 5000, 'redis-server'), failed]);
    return child;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
