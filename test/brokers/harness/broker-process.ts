/**
 * What every broker of the compatibility suite offers the cases: where to connect, how to restart it,
 * how to stop it. Each implementation runs its own instance on free loopback ports under a temporary
 * directory, and never touches the shared services of the machine.
 * @module
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { spawnSync } from 'node:child_process';

/** A broker started for the suite. */
export interface TestBroker {
  /** `mosquitto`, `aedes`, `nats`, `rabbitmq` */
  readonly name: string;
  /** `mqtt://127.0.0.1:<port>` (the MQTT listener). */
  readonly url: string;
  /** Stops the broker's MQTT service and starts it again on the same port, keeping its stored state. */
  restart(): Promise<void>;
  /** Stops it and removes its files. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Throws a clear error when a broker binary is missing: which one, and how to install it.
 *
 * @example
 * ```ts
 * requireBinary('nats-server', 'apt-get install nats-server');
 * ```
 */
export function requireBinary(binary: string, install: string): void {
  const found = spawnSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' });
  if (found.status === 0) return;
  throw new Error(
    `${binary} is not installed, so the broker compatibility suite cannot start it. Install it (${install}) and run npm run test:brokers again.`,
  );
}

/** A child process whose last output lines are kept for error messages. */
export interface Spawned {
  readonly child: ChildProcess;
  output(): string;
  /** Rejects when the process exits (for racing against readiness). */
  readonly exited: Promise<never>;
}

export function spawnLogged(command: string, args: string[], options: SpawnOptions = {}): Spawned {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  let output = '';
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-6000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`Cannot run ${command}: ${error.message}`)));
    child.once('exit', (code, signal) =>
      reject(new Error(`${command} exited (${signal ?? `code ${code}`}):\n${output}`)),
    );
  });
  exited.catch(() => undefined);
  return { child, output: () => output, exited };
}

/** Sends `signal` and waits for the exit; SIGKILL after `graceMs`. */
export function terminate(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
  graceMs = 10_000,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill(signal);
  });
}
