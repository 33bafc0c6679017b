/**
 * A dedicated Mosquitto per suite, on a free port with its own config, for tests that restart, kill or
 * reconfigure the broker (the shared one on 1883 must stay untouched).
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';
import { waitForPort } from './wait-for-port';

/** A running dedicated Mosquitto. */
export interface MosquittoInstance {
  readonly port: number;
  /** `mqtt://127.0.0.1:<port>` */
  readonly url: string;
  /** A directory the broker can write (for `persistence_location <dataDir>/` in extraConfig). */
  readonly dataDir: string;
  /** Kills the process with `signal` (SIGKILL simulates a crash); the data directory is kept. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the broker again on the same port with the same config (after kill, or kills it first). */
  restart(): Promise<void>;
  /** Stops the broker (SIGTERM) and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 5000;

/**
 * Starts `mosquitto` on a free loopback port with `allow_anonymous true` plus `extraConfig` lines.
 *
 * @example
 * ```ts
 * const broker = await startMosquitto('max_inflight_messages 20\nmax_queued_messages 1000');
 * // ... new MqttTransport({ url: broker.url })
 * await broker.stop();
 * ```
 */
export async function startMosquitto(extraConfig = ''): Promise<MosquittoInstance> {
  const dataDir = await mkdtemp(join(tmpdir(), 'routemq-mosquitto-'));
  // Run as root, mosquitto drops to the `mosquitto` user after reading its config: let it write here.
  await chmod(dataDir, 0o777);
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const configPath = join(dataDir, 'mosquitto.conf');
    await writeFile(configPath, `listener ${port} 127.0.0.1\nallow_anonymous true\n${extraConfig}\n`, {
      mode: 0o644,
    });
    try {
      const child = await spawnReady(configPath, port);
      return instance(child, port, configPath, dataDir);
    } catch (error) {
      // Another process may have taken the port between freePort() and mosquitto's bind: try another.
      if (attempt >= 3 || !String(error).includes('Address already in use')) {
        await rm(dataDir, { recursive: true, force: true });
        throw error;
      }
    }
  }
}

function instance(first: ChildProcess, port: number, configPath: string, dataDir: string): MosquittoInstance {
  let current: ChildProcess | undefined = first;
  let stopped = false;
  const kill = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    const child = current;
    current = undefined;
    if (child) await terminate(child, signal);
  };
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    dataDir,
    kill,
    async restart() {
      await kill();
      current = await spawnReady(configPath, port);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await kill();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function spawnReady(configPath: string, port: number): Promise<ChildProcess> {
  const child = spawn('mosquitto', ['-c', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (error) =>
      reject(new Error(`Cannot run mosquitto (is it installed?): ${error.message}`)),
    );
    child.once('exit', (code) =>
      reject(new Error(`mosquitto exited (code ${code}) before listening:\n${output}`)),
    );
  });
  exited.catch(() => undefined);
  try {
    await Promise.race([waitForPort(port, READY_TIMEOUT_MS, 'mosquitto'), exited]);
    return child;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

function terminate(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const forceKill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(forceKill);
      resolve();
    });
    child.kill(signal);
  });
}
