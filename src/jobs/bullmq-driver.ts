/**
 * The BullMQ driver (REDIS_URL set): the only file that imports bullmq, loaded only by apps that
 * have jobs and Redis.
 * @module
 */
import { Queue, UnrecoverableError, Worker, type Job as BullJob, type JobsOptions } from 'bullmq';
import type { Logger } from 'pino';
import {
  isUnrecoverable,
  type EnqueueRequest,
  type JobDriver,
  type JobEnvelope,
  type QueueCounts,
  type QueueWorker,
  type StoredJob,
} from './job-driver';
import type { JobRepeat } from './job-options';

/** Where the BullMQ driver keeps its jobs. */
export interface BullmqDriverOptions {
  /** REDIS_URL. */
  readonly redisUrl: string;
  /** JOB_PREFIX: the first part of every key (BullMQ's `prefix`, default `bull`). */
  readonly prefix: string;
  readonly logger: Logger;
}

// Completed jobs are kept for inspection but bounded, or Redis would grow without end; failed jobs
// are all kept until `routemq jobs retry|remove|clean` (BullMQ's removeOnComplete/removeOnFail).
const KEEP_COMPLETED = { count: 1000 };
// A job found stalled (its worker died) more often than this is failed instead of run again: a job that
// kills its worker must not kill every worker in turn (BullMQ maxStalledCount).
const MAX_STALLED = 3;

/**
 * Jobs on BullMQ queues in Redis: durable, shared by every process of the app and by `routemq work`.
 *
 * @example
 * ```ts
 * const driver = new BullmqJobDriver({ redisUrl: 'redis://127.0.0.1:6379', prefix: 'bull', logger });
 * const [id] = await driver.enqueue([request]); // resolves once Redis stored it
 * ```
 */
export class BullmqJobDriver implements JobDriver {
  readonly kind = 'bullmq';
  readonly #queues = new Map<string, Queue>();
  #workers: Worker[] = [];

  constructor(private readonly options: BullmqDriverOptions) {}

  async enqueue(requests: readonly EnqueueRequest[]): Promise<string[]> {
    const byQueue = new Map<string, EnqueueRequest[]>();
    for (const r of requests) byQueue.set(r.queue, [...(byQueue.get(r.queue) ?? []), r]);
    const ids = new Map<EnqueueRequest, string>();
    for (const [name, batch] of byQueue) {
      const queue = this.#queue(name);
      const jobs =
        batch.length === 1
          ? [await queue.add(batch[0].name, batch[0].envelope, jobOptions(batch[0]))]
          : await queue.addBulk(batch.map((r) => ({ name: r.name, data: r.envelope, opts: jobOptions(r) })));
      batch.forEach((r, i) => ids.set(r, String(jobs[i].id)));
    }
    return requests.map((r) => ids.get(r) as string);
  }

  async schedule(id: string, request: EnqueueRequest, repeat: JobRepeat): Promise<void> {
    const every =
      repeat.everyMs !== undefined ? { every: repeat.everyMs } : { pattern: repeat.cron, tz: repeat.tz };
    const { jobId: _unused, ...opts } = jobOptions(request);
    await this.#queue(request.queue).upsertJobScheduler(id, every, {
      name: request.name,
      data: request.envelope,
      opts,
    });
  }

  async counts(queue: string): Promise<QueueCounts> {
    const c = await this.#queue(queue).getJobCounts(
      'waiting',
      'prioritized',
      'active',
      'delayed',
      'failed',
      'completed',
    );
    return {
      waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
      active: c.active ?? 0,
      delayed: c.delayed ?? 0,
      failed: c.failed ?? 0,
      completed: c.completed ?? 0,
    };
  }

  async work(workers: readonly QueueWorker[], lockMs: number): Promise<void> {
    const { logger } = this.options;
    for (const spec of workers) {
      const worker = new Worker(spec.queue, (job: BullJob) => runAttempt(spec, job), {
        connection: this.#connection(null),
        prefix: this.options.prefix,
        concurrency: spec.concurrency,
        lockDuration: lockMs,
        stalledInterval: lockMs,
        maxStalledCount: MAX_STALLED,
      });
      // Without a listener an 'error' event would throw; BullMQ reconnects by itself.
      worker.on('error', (error) => logger.warn({ err: error, queue: spec.queue }, 'job worker error'));
      this.#workers.push(worker);
    }
    await Promise.all(this.#workers.map((w) => w.waitUntilReady()));
  }

  async stopWorkers(timeoutMs: number): Promise<boolean> {
    const workers = this.#workers;
    this.#workers = [];
    let timer: NodeJS.Timeout | undefined;
    const closed = Promise.all(workers.map((w) => w.close())).then(() => true);
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const drained = await Promise.race([closed, late]);
    clearTimeout(timer);
    // Past the bound: their jobs keep their lock until it expires, then another worker takes them
    // (stalled-job recovery): nothing is lost.
    if (!drained) await Promise.all(workers.map((w) => w.close(true)));
    return drained;
  }

  async close(): Promise<void> {
    await this.stopWorkers(0);
    const queues = [...this.#queues.values()];
    this.#queues.clear();
    await Promise.all(queues.map((q) => q.close()));
  }

  async failed(queue: string, limit: number): Promise<StoredJob[]> {
    const jobs = await this.#queue(queue).getFailed(0, limit - 1);
    return jobs.map((job) => stored(queue, job, 'failed'));
  }

  async find(queue: string, id: string): Promise<StoredJob | undefined> {
    const job = await this.#queue(queue).getJob(id);
    return job && stored(queue, job, await job.getState());
  }

  async retry(queue: string, id: string): Promise<boolean> {
    const job = await this.#queue(queue).getJob(id);
    if (!job || (await job.getState()) !== 'failed') return false;
    await job.retry('failed', { resetAttemptsMade: true });
    return true;
  }

  async retryAll(queue: string): Promise<number> {
    // One snapshot of the failed set, each retried with its attempts reset (as `retry` does); a job that
    // fails again meanwhile is not retried twice.
    const q = this.#queue(queue);
    const failed = await q.getFailed(0, (await q.getFailedCount()) - 1);
    for (const job of failed) await job.retry('failed', { resetAttemptsMade: true });
    return failed.length;
  }

  async remove(queue: string, id: string): Promise<boolean> {
    const job = await this.#queue(queue).getJob(id);
    if (!job) return false;
    await job.remove();
    return true;
  }

  async cleanFailed(queue: string): Promise<number> {
    const removed = await this.#queue(queue).clean(0, 0, 'failed');
    return removed.length;
  }

  #queue(name: string): Queue {
    let queue = this.#queues.get(name);
    if (!queue) {
      // A dispatch while Redis is down must fail (the handler's message is then retried), not wait.
      queue = new Queue(name, { connection: this.#connection(1), prefix: this.options.prefix });
      queue.on('error', (error) => this.options.logger.warn({ err: error, queue: name }, 'job queue error'));
      this.#queues.set(name, queue);
    }
    return queue;
  }

  #connection(maxRetriesPerRequest: number | null) {
    return { url: this.options.redisUrl, maxRetriesPerRequest };
  }
}

function jobOptions(request: EnqueueRequest): JobsOptions {
  return {
    jobId: request.jobId,
    delay: request.delayMs,
    priority: request.priority,
    attempts: request.attempts,
    backoff: { type: request.backoff.type, delay: request.backoff.delayMs },
    removeOnComplete: KEEP_COMPLETED,
    removeOnFail: false,
  };
}

async function runAttempt(spec: QueueWorker, job: BullJob): Promise<unknown> {
  try {
    return await spec.run({
      id: String(job.id),
      name: job.name,
      queue: spec.queue,
      envelope: job.data as JobEnvelope,
      attemptsMade: job.attemptsMade,
      attempts: job.opts.attempts ?? 1,
      progress: (value) => job.updateProgress(value),
    });
  } catch (error) {
    // BullMQ skips the remaining attempts only for its own UnrecoverableError.
    if (isUnrecoverable(error))
      throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
    throw error;
  }
}

function stored(queue: string, job: BullJob, state: string): StoredJob {
  const envelope = job.data as Partial<JobEnvelope> | undefined;
  return {
    id: String(job.id),
    queue,
    name: job.name,
    state,
    data: envelope?.data,
    attemptsMade: job.attemptsMade,
    failedReason: job.failedReason || undefined,
    stacktrace: job.stacktrace ?? [],
    createdAt: job.timestamp,
    finishedAt: job.finishedOn,
  };
}

/** Builds the BullMQ driver (the lazy entry point the jobs integration requires). */
export function createBullmqDriver(options: BullmqDriverOptions): JobDriver {
  return new BullmqJobDriver(options);
}
