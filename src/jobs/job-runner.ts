import type { Logger } from 'pino';
import { parseTraceparent, runInTrace } from '../observability/trace-context';
import type { JobContext } from './job-context';
import { jobDataCheck } from './job-data';
import type { JobDefinition } from './job-definition';
import { isUnrecoverable, type QueueWorker, type RunningJob } from './job-driver';
import { JobDataError, JobTimeoutError } from './job-errors';

/** A job class instance, as the container built it. */
export interface JobHandler {
  handle(data: unknown, job: JobContext): unknown;
}

/** What happened to one attempt (metrics, testing). */
export interface JobAttempt {
  readonly definition: JobDefinition;
  readonly id: string;
  readonly attempt: number;
  readonly durationMs: number;
  /** The error of a failed attempt. */
  readonly error?: unknown;
  /** True when no attempt follows: completed, or failed for good. */
  readonly final: boolean;
}

/** Called after every attempt. */
export type JobAttemptListener = (attempt: JobAttempt) => void;

interface Runnable {
  readonly definition: JobDefinition;
  readonly handler: JobHandler;
  readonly check: (data: unknown) => Promise<unknown>;
}

/**
 * Runs job attempts: finds the class by the stored name, checks the data (DTO), builds the
 * {@link JobContext}, continues the dispatching message's trace, and enforces `timeoutMs`.
 *
 * @example
 * ```ts
 * const runner = new JobRunner(definitions, (d) => container.resolve(d.jobClass), logger);
 * await driver.work(runner.workers(), 30_000);
 * ```
 */
export class JobRunner {
  readonly #byName = new Map<string, Runnable>();
  readonly #listeners: JobAttemptListener[] = [];

  constructor(
    private readonly definitions: readonly JobDefinition[],
    handlerOf: (definition: JobDefinition) => JobHandler,
    private readonly logger: Logger,
  ) {
    for (const definition of definitions) {
      const handler = handlerOf(definition);
      this.#byName.set(definition.name, { definition, handler, check: jobDataCheck(definition) });
    }
  }

  /** Calls `listener` after every attempt. */
  onAttempt(listener: JobAttemptListener): void {
    this.#listeners.push(listener);
  }

  /** One worker per queue (of `queues`, default all): concurrency is the largest of its jobs. */
  workers(queues?: readonly string[]): QueueWorker[] {
    const concurrency = new Map<string, number>();
    for (const d of this.definitions) {
      if (queues && !queues.includes(d.queue)) continue;
      concurrency.set(d.queue, Math.max(concurrency.get(d.queue) ?? 1, d.concurrency));
    }
    return [...concurrency].map(([queue, n]) => ({ queue, concurrency: n, run: (job) => this.run(job) }));
  }

  /** Runs one attempt; rejects when it failed. */
  async run(job: RunningJob): Promise<unknown> {
    const runnable = this.#byName.get(job.name);
    if (!runnable) {
      throw new JobDataError(
        `job ${job.name} (queue ${job.queue}, id ${job.id}): no job of that name in this app; list its class in @Module({ jobs }).`,
      );
    }
    const started = performance.now();
    const attempt = job.attemptsMade + 1;
    try {
      const result = await this.#attempt(runnable, job, attempt);
      this.#report({ definition: runnable.definition, id: job.id, attempt, started, final: true });
      return result;
    } catch (error) {
      const final = attempt >= job.attempts || isUnrecoverable(error);
      this.#report({ definition: runnable.definition, id: job.id, attempt, started, final, error });
      this.#logFailure(runnable.definition, job, attempt, final, error);
      throw error;
    }
  }

  async #attempt(runnable: Runnable, job: RunningJob, attempt: number): Promise<unknown> {
    const data = await runnable.check(job.envelope.data);
    const trace = parseTraceparent(job.envelope.traceparent);
    const controller = new AbortController();
    const context: JobContext = {
      id: job.id,
      name: job.name,
      queue: job.queue,
      attempt,
      attempts: job.attempts,
      logger: this.logger.child({
        job: job.name,
        queue: job.queue,
        jobId: job.id,
        attempt,
        ...(trace && { traceId: trace.traceId }),
      }),
      signal: controller.signal,
      progress: (value) => job.progress(value),
    };
    const call = () => Promise.resolve().then(() => runnable.handler.handle(data, context));
    const running = trace ? runInTrace(trace, call) : call();
    const timeoutMs = runnable.definition.timeoutMs;
    if (timeoutMs === undefined) return running;
    return withTimeout(running, timeoutMs, controller, `job ${job.name} (id ${job.id}, attempt ${attempt})`);
  }

  #report(entry: Omit<JobAttempt, 'durationMs'> & { started: number }): void {
    const { started, ...rest } = entry;
    const attempt: JobAttempt = { ...rest, durationMs: performance.now() - started };
    for (const listener of this.#listeners) listener(attempt);
  }

  #logFailure(
    definition: JobDefinition,
    job: RunningJob,
    attempt: number,
    final: boolean,
    error: unknown,
  ): void {
    const fields = { err: error, job: definition.name, queue: job.queue, jobId: job.id, attempt };
    if (final)
      this.logger.error(
        fields,
        `job ${definition.name} failed for good after ${attempt} attempt(s); kept as failed`,
      );
    else this.logger.warn(fields, `job ${definition.name} attempt ${attempt} failed; retrying with backoff`);
  }
}

function withTimeout(
  running: Promise<unknown>,
  timeoutMs: number,
  controller: AbortController,
  where: string,
): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new JobTimeoutError(where, timeoutMs);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  // The handler may still settle after the timeout: its outcome no longer matters.
  running.catch(() => undefined);
  return Promise.race([running, late]).finally(() => clearTimeout(timer));
}
