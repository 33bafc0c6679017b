/**
 * A subject (one implementation) running as its own compiled Node process, driven over IPC.
 * @module
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type {
  Implementation,
  LatencySummary,
  RunnerMessage,
  SubjectMessage,
  SubjectSettings,
} from './protocol';
import { RECEIVE_MAXIMUM, subjectEnv } from './protocol';

/** A snapshot taken by the subject: messages handled so far, process CPU, latency since the last mark. */
export interface Mark {
  /** When the subject read its count, monotonic microseconds. */
  readonly atMicros: number;
  readonly count: number;
  readonly cpuMicros: number;
  readonly latency: LatencySummary | undefined;
}

const ENTRY: Readonly<Record<Implementation, string>> = {
  bare: 'bare.js',
  routemq: 'routemq.js',
  'routemq-dto': 'routemq.js',
  nest: 'nest.js',
};

export interface SpawnOptions extends SubjectSettings {
  readonly implementation: Implementation;
  /** Directory for `--cpu-prof` output; unset: no profile. */
  readonly profileDir?: string;
  /** Extra Node.js flags. */
  readonly nodeOptions?: readonly string[];
}

export class SubjectProcess {
  /** Messages handled, as last reported by a progress message or a mark. */
  reported = 0;
  onProgress: (count: number) => void = () => undefined;
  readonly #child: ChildProcess;
  readonly #name: string;
  #onReady: (() => void) | undefined;
  #pendingMark: { resolve: (mark: Mark) => void; reject: (error: Error) => void } | undefined;
  #stopping = false;
  readonly #exited: Promise<void>;

  private constructor(child: ChildProcess, name: string) {
    this.#child = child;
    this.#name = name;
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.on('message', (message: SubjectMessage) => this.#onMessage(message));
    child.once('exit', (code) => this.#onExit(code));
  }

  static async start(options: SpawnOptions): Promise<SubjectProcess> {
    const profile = options.profileDir
      ? [
          '--cpu-prof',
          `--cpu-prof-dir=${options.profileDir}`,
          `--cpu-prof-name=${options.implementation}-${Date.now()}.cpuprofile`,
        ]
      : [];
    const execArgv = [...profile, ...(options.nodeOptions ?? [])];
    const child = fork(join(__dirname, '../subjects', ENTRY[options.implementation]), [], {
      env: environment(options),
      execArgv,
      // Subjects print nothing unless something is wrong (or --node-options asks for traces).
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const subject = new SubjectProcess(child, `${options.implementation} subject`);
    await subject.#ready();
    return subject;
  }

  /** Asks the subject for a mark (and resets its latency samples). */
  mark(): Promise<Mark> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) {
      return Promise.reject(new Error(`the ${this.#name} is gone`));
    }
    return new Promise((resolve, reject) => {
      this.#pendingMark = { resolve, reject };
      this.#send({ type: 'mark' });
    });
  }

  /** Progress reports every `intervalMs` (0: none); the credit of the saturated load. */
  reportEvery(intervalMs: number): void {
    this.#send({ type: 'progress', intervalMs });
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      // An exit of its own, so that a profiled process writes its profile; the timer is a bound.
      this.#send({ type: 'exit' });
      const force = setTimeout(() => this.#child.kill('SIGKILL'), 5000);
      await this.#exited;
      clearTimeout(force);
    }
  }

  #ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the ${this.#name} was not ready within 30 s`)),
        30_000,
      );
      this.#onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      this.#child.once('exit', (code) =>
        reject(new Error(`the ${this.#name} exited (code ${code}) at start`)),
      );
    });
  }

  #onMessage(message: SubjectMessage): void {
    if (message.type === 'ready') {
      this.#onReady?.();
    } else if (message.type === 'progress') {
      this.reported = message.count;
      this.onProgress(message.count);
    } else {
      this.reported = message.count;
      const pending = this.#pendingMark;
      this.#pendingMark = undefined;
      pending?.resolve(message);
    }
  }

  /** A subject that dies mid-run fails the run, instead of leaving it waiting for a mark. */
  #onExit(code: number | null): void {
    if (this.#stopping) return;
    const error = new Error(`the ${this.#name} exited unexpectedly (code ${code})`);
    this.#pendingMark?.reject(error);
    this.#pendingMark = undefined;
  }

  #send(message: RunnerMessage): void {
    this.#child.send(message);
  }
}

function environment(options: SpawnOptions): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    ...subjectEnv(options),
    // RouteMQ's own settings, as a user sets them in production.
    MQTT_BROKER: options.url,
    LOG_LEVEL: 'warn',
    MQTT_RECEIVE_MAXIMUM: String(RECEIVE_MAXIMUM),
    // A stable client id, as the docs ask for in production (a persistent session). One per topic
    // prefix: the next scenario's subject takes the session over instead of leaving one behind.
    MQTT_CLIENT_ID: `bench-${options.implementation}-${options.prefix.replace(/\//g, '-')}`,
    BENCH_DTO: options.implementation === 'routemq-dto' ? '1' : '0',
  };
}
