import type { Logger } from 'pino';
import type { DependencyContainer } from 'tsyringe';
import type { Integration } from '../app/integration';
import type { JobDefinition } from './job-definition';
import type { JobDriver } from './job-driver';
import { JobQueue } from './job-queue';
import { JobRunner, type JobAttemptListener, type JobHandler } from './job-runner';
import { MemoryJobDriver } from './memory-driver';

type BullmqModule = typeof import('./bullmq-driver');

/** What the jobs of one app process do. */
export interface JobsSettings {
  readonly redisUrl?: string;
  readonly jobPrefix: string;
  readonly jobLockMs: number;
  /** Run workers here (JOB_WORKERS, and not in a supervisor). */
  readonly runWorkers: boolean;
  /** Queues to run workers for (default: all). */
  readonly queues?: readonly string[];
  /** Jobs wait until run by hand (`testApp.jobs.runAll()`); in-process driver only. */
  readonly manual?: boolean;
}

/**
 * The app's background jobs as an integration: registers {@link JobQueue}, starts the schedulers of
 * repeatable jobs and the workers after Redis and the database, stops taking jobs when the app stops
 * (waiting for the running ones within SHUTDOWN_TIMEOUT_MS), and closes last.
 *
 * @example
 * ```ts
 * const jobs = new JobsIntegration(defineJobs(flat.jobs), { ...config, runWorkers: config.jobWorkers });
 * ```
 */
export class JobsIntegration implements Integration {
  readonly name = 'jobs';
  readonly queue: JobQueue;
  readonly driver: JobDriver;
  #runner: JobRunner | undefined;
  #logger: Logger | undefined;
  readonly #listeners: JobAttemptListener[] = [];

  constructor(
    readonly definitions: readonly JobDefinition[],
    private readonly settings: JobsSettings,
    logger: Logger,
  ) {
    this.driver = settings.redisUrl
      ? loadBullmq().createBullmqDriver({ redisUrl: settings.redisUrl, prefix: settings.jobPrefix, logger })
      : new MemoryJobDriver();
    this.queue = new JobQueue(definitions, this.driver);
  }

  /** The runner, once the job classes were built ({@link bind}). */
  get runner(): JobRunner | undefined {
    return this.#runner;
  }

  register(container: DependencyContainer, logger: Logger): void {
    this.#logger = logger.child({ component: 'jobs' });
    container.register(JobQueue, { useValue: this.queue });
    container.register(JobsIntegration, { useValue: this });
  }

  /** Builds every job class from the container (after the providers were registered). */
  bind(handlerOf: (definition: JobDefinition) => JobHandler): void {
    this.#runner = new JobRunner(this.definitions, handlerOf, this.#logger as Logger);
    for (const listener of this.#listeners) this.#runner.onAttempt(listener);
  }

  /** Calls `listener` after every job attempt run in this process (metrics, tests). */
  onAttempt(listener: JobAttemptListener): void {
    this.#listeners.push(listener);
    this.#runner?.onAttempt(listener);
  }

  async start(): Promise<void> {
    const logger = this.#logger as Logger;
    const runner = this.#runner as JobRunner;
    const { runWorkers, queues, manual, jobLockMs } = this.settings;
    if (this.driver.kind === 'memory') {
      logger.warn(
        'jobs run in this process (REDIS_URL unset): not durable (lost when the process exits) and per process',
      );
    }
    if (!runWorkers || manual) {
      logger.info({ queues: this.queue.queues }, 'job workers off in this process (JOB_WORKERS=false)');
      return;
    }
    await this.#startSchedulers(queues);
    const workers = runner.workers(queues);
    await this.driver.work(workers, jobLockMs);
    logger.info(
      { queues: workers.map((w) => `${w.queue} x${w.concurrency}`), driver: this.driver.kind },
      `job workers running for ${workers.length} queue(s)`,
    );
  }

  /** Stops taking jobs and waits for the running ones (bounded); true when they finished. */
  async drain(timeoutMs: number): Promise<boolean> {
    const drained = await this.driver.stopWorkers(timeoutMs);
    if (!drained) {
      this.#logger?.warn(
        { timeoutMs },
        'running jobs did not finish in time; with Redis another worker runs them again after their lock expires',
      );
    }
    return drained;
  }

  async stop(): Promise<void> {
    await this.driver.close();
  }

  async #startSchedulers(queues: readonly string[] | undefined): Promise<void> {
    for (const d of this.definitions) {
      if (!d.repeat || (queues && !queues.includes(d.queue))) continue;
      const request = {
        queue: d.queue,
        name: d.name,
        envelope: { data: d.repeat.data ?? {} },
        attempts: d.attempts,
        backoff: d.backoff,
      };
      await this.driver.schedule(`routemq-${d.name}`, request, d.repeat);
    }
  }
}

// bullmq (~60 ms, ~8 MB) loads only for apps with jobs and REDIS_URL. Synchronous, because createApp
// wires synchronously.
function loadBullmq(): BullmqModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./bullmq-driver') as BullmqModule;
}
