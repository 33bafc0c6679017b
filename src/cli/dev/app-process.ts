import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** How the dev runner starts the app and reports on it. */
export interface AppProcessOptions {
  readonly entry: string;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** How long a stopping app may drain before it is killed (its SHUTDOWN_TIMEOUT_MS plus a margin). */
  readonly stopTimeoutMs: number;
  readonly log: (text: string) => void;
}

/**
 * The app run by `routemq dev`: one child process at a time. A restart stops the running app with
 * SIGTERM (so it drains in-flight messages and closes the embedded broker's port) before starting the
 * new build; restarts requested meanwhile are queued, never run side by side.
 *
 * @example
 * ```ts
 * const app = new AppProcess({ entry: 'dist/main.js', cwd, env: process.env, stopTimeoutMs: 15000, log });
 * await app.restart();
 * ```
 */
export class AppProcess {
  #child: ChildProcess | undefined;
  #queue: Promise<void> = Promise.resolve();
  #starts = 0;

  constructor(private readonly options: AppProcessOptions) {}

  /** Stops the running app (if any), then starts the entry again. */
  restart(): Promise<void> {
    this.#queue = this.#queue.then(() => this.#stop()).then(() => this.#start());
    return this.#queue;
  }

  /** Stops the running app, draining it first. */
  stop(): Promise<void> {
    this.#queue = this.#queue.then(() => this.#stop());
    return this.#queue;
  }

  #start(): void {
    const start = ++this.#starts;
    const child = fork(this.options.entry, [], {
      cwd: this.options.cwd,
      env: { ...this.options.env, ROUTEMQ_DEV: '1' },
      execArgv: ['--enable-source-maps'],
      stdio: 'inherit',
    });
    this.#child = child;
    this.options.log(
      `[routemq dev] ${start === 1 ? 'starting' : 'restarted'} ${this.options.entry} (pid ${child.pid})`,
    );
    child.on('exit', (code, signal) => {
      if (this.#child !== child) return; // stopped on purpose
      this.#child = undefined;
      this.options.log(
        `[routemq dev] the app exited (${signal ?? `code ${code}`}); waiting for a change to restart it`,
      );
    });
  }

  async #stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), this.options.stopTimeoutMs);
    try {
      await exited;
    } finally {
      clearTimeout(timer);
    }
  }
}
