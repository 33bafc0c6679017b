/**
 * The app under test as a real child process (`node` on a compiled fixture), so that SIGKILL is a real
 * crash. Its JSON log lines are kept across restarts for the checks (reconnects, errors, stats).
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** One log line of the app (pino JSON), or `{ msg: <text>, raw: true }` for anything else. */
export interface LogLine {
  readonly level?: number;
  readonly time?: number;
  readonly msg?: string;
  readonly raw?: boolean;
  readonly [key: string]: unknown;
}

/** How one process of the app ended. */
export interface Exit {
  readonly pid: number;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** False when nobody asked it to stop: a crash. */
  readonly expected: boolean;
}

const FIXTURES = join(__dirname, '..', 'fixtures');
const READY_TIMEOUT_MS = 20_000;

export class AppProcess {
  readonly logs: LogLine[] = [];
  readonly exits: Exit[] = [];
  /** Processes started (the first start included). */
  starts = 0;
  #child: ChildProcess | undefined;
  #exited: Promise<Exit> | undefined;
  #stopping = false;

  constructor(
    /** File name in fixtures/ without `.js`, e.g. `load-app`. */
    private readonly fixture: string,
    private readonly env: Readonly<Record<string, string>>,
    private readonly cwd: string,
    /** The log message that means "subscribed and serving". */
    private readonly readyMessage: RegExp = /^connected; serving/,
  ) {}

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  get running(): boolean {
    return this.#child !== undefined;
  }

  /** Exits nobody asked for. */
  get crashes(): Exit[] {
    return this.exits.filter((e) => !e.expected);
  }

  /** Starts a process and resolves once it logged that it serves its routes. */
  async start(): Promise<void> {
    if (this.#child) throw new Error(`${this.fixture} is already running`);
    const child = spawn(process.execPath, [join(FIXTURES, `${this.fixture}.js`)], {
      cwd: this.cwd,
      env: { PATH: process.env.PATH ?? '', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    this.#stopping = false;
    this.starts++;
    const ready = this.#collect(child);
    this.#exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        const exit = { pid: child.pid ?? -1, code, signal, expected: this.#stopping };
        this.exits.push(exit);
        if (this.#child === child) this.#child = undefined;
        resolve(exit);
      }),
    );
    await Promise.race([ready, this.#exited.then((e) => Promise.reject(exitedEarly(this.fixture, e, this)))]);
  }

  /** Sends `signal` and waits for the process to exit (SIGKILL after 30 s). */
  async kill(signal: NodeJS.Signals): Promise<Exit> {
    const child = this.#child;
    const exited = this.#exited;
    if (!child || !exited) throw new Error(`${this.fixture} is not running`);
    this.#stopping = true;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops it for good if it still runs (SIGKILL: cleanup, not a scenario step). */
  async dispose(): Promise<void> {
    if (this.#child) await this.kill('SIGKILL');
  }

  /** Log lines whose message matches. */
  linesMatching(msg: RegExp, since = 0): LogLine[] {
    return this.logs.filter((line) => (line.time ?? 0) >= since && msg.test(line.msg ?? ''));
  }

  #collect(child: ChildProcess): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`${this.fixture} did not log ${this.readyMessage} within ${READY_TIMEOUT_MS} ms`)),
        READY_TIMEOUT_MS,
      );
      const onLine = (text: string, stream: 'stdout' | 'stderr'): void => {
        const line = parseLine(text, stream);
        this.logs.push(line);
        if (this.readyMessage.test(line.msg ?? '')) {
          clearTimeout(timer);
          resolve();
        }
      };
      if (child.stdout) createInterface({ input: child.stdout }).on('line', (t) => onLine(t, 'stdout'));
      if (child.stderr) createInterface({ input: child.stderr }).on('line', (t) => onLine(t, 'stderr'));
      child.once('exit', () => clearTimeout(timer));
    });
  }
}

function parseLine(text: string, stream: 'stdout' | 'stderr'): LogLine {
  if (text.startsWith('{')) {
    try {
      return JSON.parse(text) as LogLine;
    } catch {
      // fall through: not a log line
    }
  }
  return { msg: text, raw: true, stream, time: Date.now() };
}

function exitedEarly(fixture: string, exit: Exit, app: AppProcess): Error {
  const tail = app.logs
    .slice(-15)
    .map((l) => (l.raw ? l.msg : JSON.stringify(l)))
    .join('\n');
  return new Error(`${fixture} exited (code ${exit.code}, signal ${exit.signal}) before serving:\n${tail}`);
}
