import { fork, type ChildProcess } from 'node:child_process';
import type { Logger } from 'pino';
import { CrashHistory, type RestartPolicy } from './restart-policy';
import { WORKER_CLIENT_BASE_VAR, WORKER_INDEX_VAR } from './worker-env';
import type { WorkerAssignment } from './worker-plan';

/** What the supervisor needs to run workers. */
export interface SupervisorOptions {
  /** The script each worker runs (the app's own entry, `dist/main.js`). */
  readonly entry: string;
  readonly args: readonly string[];
  readonly execArgv: readonly string[];
  readonly plan: readonly WorkerAssignment[];
  /** Client id base: worker i connects as `<base>-w<i>`, the same id after a restart. */
  readonly clientBase: string;
  readonly restart: RestartPolicy;
  /** How long stop() waits for workers to drain before killing them. */
  readonly stopTimeoutMs: number;
  readonly logger: Logger;
  /** Called once when every worker slot was given up (crash loops): the app cannot serve. */
  readonly onAllFailed: () => void;
}

/** One worker slot as the supervisor tracks it. */
export interface WorkerStatus {
  readonly index: number;
  readonly pid?: number;
  readonly state: 'starting' | 'running' | 'restarting' | 'stopped' | 'failed';
  readonly restarts: number;
  readonly routes: readonly string[];
}

interface Slot {
  assignment: WorkerAssignment;
  child?: ChildProcess;
  state: WorkerStatus['state'];
  restarts: number;
  crashes: CrashHistory;
  timer?: NodeJS.Timeout;
  ready?: () => void;
}

/**
 * Forks and supervises the worker processes of an app: restarts a crashed worker with backoff, gives a
 * crash-looping slot up (and says so), and on stop sends SIGTERM to every worker and waits for them to
 * drain (docs/scaling.md).
 *
 * @example
 * ```ts
 * const supervisor = new Supervisor({ entry: process.argv[1], plan: planWorkers(routes), ... });
 * await supervisor.start();
 * await supervisor.stop();
 * ```
 */
export class Supervisor {
  readonly #slots: Slot[];
  #stopping = false;

  constructor(private readonly options: SupervisorOptions) {
    this.#slots = options.plan.map((assignment) => ({
      assignment,
      state: 'starting',
      restarts: 0,
      crashes: new CrashHistory(options.restart),
    }));
  }

  /** Every worker slot: pid, state, restarts, routes. */
  get workers(): WorkerStatus[] {
    return this.#slots.map((slot) => ({
      index: slot.assignment.index,
      pid: slot.child?.pid,
      state: slot.state,
      restarts: slot.restarts,
      routes: slot.assignment.routes,
    }));
  }

  /** The running worker processes, to ask over their IPC channel (metrics, readiness). */
  get processes(): ChildProcess[] {
    return this.#slots.flatMap((slot) => (slot.child && slot.state === 'running' ? [slot.child] : []));
  }

  /** Forks every worker; resolves when each reported ready or exited before being ready. */
  async start(): Promise<void> {
    for (const slot of this.#slots) {
      this.options.logger.info(
        { worker: slot.assignment.index, routes: slot.assignment.routes },
        `worker ${slot.assignment.index} serves ${slot.assignment.routes.join(', ')}`,
      );
    }
    // Worker 0 first: it alone changes the database schema (synchronize, migrations), and the others
    // must not start handling messages before that is done.
    const [first, ...others] = this.#slots;
    if (first) await this.#spawn(first);
    await Promise.all(others.map((slot) => this.#spawn(slot)));
  }

  /** SIGTERM to every worker, then waits (bounded) for them; true when all exited with code 0. */
  async stop(): Promise<boolean> {
    this.#stopping = true;
    const exits = this.#slots.map((slot) => this.#stopSlot(slot));
    const codes = await Promise.all(exits);
    return codes.every((code) => code === 0);
  }

  #spawn(slot: Slot): Promise<void> {
    const index = slot.assignment.index;
    const child = fork(this.options.entry, [...this.options.args], {
      execArgv: [...this.options.execArgv],
      env: {
        ...process.env,
        [WORKER_INDEX_VAR]: String(index),
        [WORKER_CLIENT_BASE_VAR]: this.options.clientBase,
      },
    });
    slot.child = child;
    slot.state = 'starting';
    this.options.logger.info(
      { worker: index, pid: child.pid, restarts: slot.restarts },
      `worker ${index} started`,
    );
    const ready = new Promise<void>((resolve) => (slot.ready = resolve));
    child.on('message', (message) => {
      if (isReadyMessage(message)) {
        slot.state = 'running';
        slot.ready?.();
      }
    });
    child.once('exit', (code, signal) => this.#exited(slot, child, code, signal));
    return ready;
  }

  #exited(slot: Slot, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    const index = slot.assignment.index;
    slot.ready?.();
    if (slot.child !== child) return;
    slot.child = undefined;
    if (this.#stopping) {
      slot.state = 'stopped';
      this.options.logger.info({ worker: index, code, signal }, `worker ${index} stopped`);
      return;
    }
    const delayMs = slot.crashes.recordCrash();
    if (delayMs === undefined) {
      slot.state = 'failed';
      this.options.logger.error(
        {
          worker: index,
          code,
          signal,
          crashes: slot.crashes.recent,
          windowMs: this.options.restart.windowMs,
        },
        `worker ${index} is crash-looping: not restarting it (fix the error in its logs, then restart the app)`,
      );
      if (this.#slots.every((s) => s.state === 'failed')) this.options.onAllFailed();
      return;
    }
    slot.state = 'restarting';
    this.options.logger.warn({ worker: index, code, signal, delayMs }, `worker ${index} exited; restarting`);
    slot.timer = setTimeout(() => {
      slot.timer = undefined;
      if (this.#stopping) return;
      slot.restarts++;
      void this.#spawn(slot);
    }, delayMs);
  }

  async #stopSlot(slot: Slot): Promise<number | null> {
    clearTimeout(slot.timer);
    const child = slot.child;
    if (!child || child.exitCode !== null) {
      slot.state = slot.state === 'failed' ? 'failed' : 'stopped';
      return child?.exitCode ?? 0;
    }
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    const timer = setTimeout(() => {
      this.options.logger.warn({ worker: slot.assignment.index }, 'worker did not stop in time; killing it');
      child.kill('SIGKILL');
    }, this.options.stopTimeoutMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  }
}

/** The message a worker sends once its app started (connected and subscribed). */
export const WORKER_READY = 'routemq:worker-ready';

function isReadyMessage(message: unknown): boolean {
  return (
    typeof message === 'object' && message !== null && (message as { type?: unknown }).type === WORKER_READY
  );
}
