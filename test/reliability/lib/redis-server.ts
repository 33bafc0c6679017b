/**
 * A Redis of scenario 6's own, on a free port, to stop and start again; the oracle stays on 6379.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../utils/free-port';
import { waitForPort } from '../../utils/wait-for-port';

export { waitForPort };

export interface RedisServer {
  readonly url: string;
  /** Stops the process (SIGKILL: an outage, not a shutdown). */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
}

/** Starts `redis-server --port <free> --save '' --appendonly no`. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined = await spawnReady(port);
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      const current = child;
      child = undefined;
      if (current && current.exitCode === null && current.signalCode === null) {
        await new Promise((resolve) => {
          current.once('exit', resolve);
          current.kill('SIGKILL');
        });
      }
    },
    async start() {
      child ??= await spawnReady(port);
    },
  };
}

async function spawnReady(port: number): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`Cannot run redis-server: ${error.message}`)));
    child.once('exit', (code) => reject(new Error(`redis-server exited (code ${code}) on port ${port}`)));
  });
  failed.catch(() => undefined);
  await Promise.race([waitForPort(port), failed]);
  return child;
}
