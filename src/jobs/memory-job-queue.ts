import {
  isUnrecoverable,
  backoffDelay,
  type EnqueueRequest,
  type QueueCounts,
  type StoredJob,
} from './job-driver';
import type { QueueWorker, RunningJob } from './job-driver';

/** One job as the in-process queue keeps it. */
export interface MemoryJob {
  readonly id: string;
  readonly request: EnqueueRequest;
  state: 'waiting' | 'delayed' | 'active' | 'failed' | 'completed';
  attemptsMade: number;
  readonly createdAt: number;
  runAt: number;
  finishedAt?: number;
  failedReason?: string;
  stacktrace: string[];
  progress?: number | object;
  timer?: NodeJS.Timeout;
}

// BullMQ keeps the last completed jobs by default in RouteMQ's driver too (bounded, see bullmq-driver).
const KEEP_COMPLETED = 1000;

/**
 * One queue of the in-process driver. It follows BullMQ's rules where a user can see them: jobs run by
 * priority then in order, a failed attempt waits its backoff, a job id already kept is not added
 * again, failed jobs are kept with their error. Nothing survives the process.
 */
export class MemoryJobQueue {
  readonly #jobs = new Map<string, MemoryJob>();
  readonly #completed: string[] = [];
  #worker: QueueWorker | undefined;
  #active = 0;
  #idle: (() => void)[] = [];

  constructor(readonly name: string) {}

  add(id: string, request: EnqueueRequest): string {
    if (request.jobId !== undefined && this.#jobs.has(request.jobId)) return request.jobId;
    const now = Date.now();
    const delay = Math.max(0, request.delayMs ?? 0);
    const job: MemoryJob = {
      id,
      request,
      state: 'waiting',
      attemptsMade: 0,
      createdAt: now,
      runAt: now + delay,
      stacktrace: [],
    };
    this.#jobs.set(id, job);
    if (delay > 0) this.#delay(job, delay);
    else this.#pump();
    return id;
  }

  /** Starts running jobs with this worker. */
  work(worker: QueueWorker): void {
    this.#worker = worker;
    this.#pump();
  }

  /** Stops taking jobs; resolves when the running ones settled. */
  stop(): Promise<void> {
    this.#worker = undefined;
    return this.#active === 0 ? Promise.resolve() : new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Drops timers (delayed jobs stay listed but will not run in this process any more). */
  close(): void {
    for (const job of this.#jobs.values()) clearTimeout(job.timer);
  }

  /**
   * Runs every waiting and delayed job now, retries included without their backoff, one at a time,
   * until none is left (tests: `testApp.jobs.runAll()`).
   */
  async runAll(worker: QueueWorker): Promise<number> {
    let ran = 0;
    for (let job = this.#nextAny(); job; job = this.#nextAny()) {
      clearTimeout(job.timer);
      await this.#runOne(job, worker);
      ran++;
    }
    return ran;
  }

  counts(): QueueCounts {
    const counts: QueueCounts = { waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0 };
    for (const job of this.#jobs.values()) counts[job.state]++;
    return counts;
  }

  find(id: string): MemoryJob | undefined {
    return this.#jobs.get(id);
  }

  failed(limit: number): MemoryJob[] {
    return [...this.#jobs.values()].filter((job) => job.state === 'failed').slice(0, limit);
  }

  retry(id: string): boolean {
    const job = this.#jobs.get(id);
    if (job?.state !== 'failed') return false;
    job.state = 'waiting';
    job.attemptsMade = 0;
    job.failedReason = undefined;
    this.#pump();
    return true;
  }

  remove(id: string): boolean {
    const job = this.#jobs.get(id);
    if (!job || job.state === 'active') return false;
    clearTimeout(job.timer);
    return this.#jobs.delete(id);
  }

  stored(job: MemoryJob): StoredJob {
    return {
      id: job.id,
      queue: this.name,
      name: job.request.name,
      state: job.state,
      data: job.request.envelope.data,
      attemptsMade: job.attemptsMade,
      failedReason: job.failedReason,
      stacktrace: job.stacktrace,
      createdAt: job.createdAt,
      finishedAt: job.finishedAt,
    };
  }

  #delay(job: MemoryJob, delayMs: number): void {
    job.state = 'delayed';
    job.runAt = Date.now() + delayMs;
    job.timer = setTimeout(() => {
      job.timer = undefined;
      if (job.state !== 'delayed') return;
      job.state = 'waiting';
      this.#pump();
    }, delayMs);
    job.timer.unref();
  }

  #pump(): void {
    const worker = this.#worker;
    while (worker && this.#active < worker.concurrency) {
      const job = this.#next('waiting');
      if (!job) return;
      void this.#runOne(job, worker);
    }
  }

  #next(...states: MemoryJob['state'][]): MemoryJob | undefined {
    let best: MemoryJob | undefined;
    for (const job of this.#jobs.values()) {
      if (!states.includes(job.state)) continue;
      if (!best || rank(job) < rank(best)) best = job;
    }
    return best;
  }

  #nextAny(): MemoryJob | undefined {
    return this.#next('waiting') ?? this.#next('delayed');
  }

  async #runOne(job: MemoryJob, worker: QueueWorker): Promise<void> {
    job.state = 'active';
    this.#active++;
    try {
      await worker.run(this.#running(job));
      this.#completedJob(job);
    } catch (error) {
      this.#failedAttempt(job, error);
    } finally {
      this.#active--;
      if (this.#active === 0) for (const resolve of this.#idle.splice(0)) resolve();
      this.#pump();
    }
  }

  #running(job: MemoryJob): RunningJob {
    const { request } = job;
    return {
      id: job.id,
      name: request.name,
      queue: this.name,
      // A JSON copy, as Redis would give back: the handler sees the same types with either driver.
      envelope: JSON.parse(JSON.stringify(request.envelope)) as RunningJob['envelope'],
      attemptsMade: job.attemptsMade,
      attempts: request.attempts,
      progress: (value) => {
        job.progress = value;
        return Promise.resolve();
      },
    };
  }

  #completedJob(job: MemoryJob): void {
    job.attemptsMade++;
    job.state = 'completed';
    job.finishedAt = Date.now();
    this.#completed.push(job.id);
    if (this.#completed.length > KEEP_COMPLETED) this.#jobs.delete(this.#completed.shift() as string);
  }

  #failedAttempt(job: MemoryJob, error: unknown): void {
    job.attemptsMade++;
    job.failedReason = error instanceof Error ? error.message : String(error);
    if (error instanceof Error && error.stack) job.stacktrace.push(error.stack);
    if (job.attemptsMade < job.request.attempts && !isUnrecoverable(error)) {
      this.#delay(job, backoffDelay(job.request.backoff, job.attemptsMade));
      return;
    }
    job.state = 'failed';
    job.finishedAt = Date.now();
  }
}

/** BullMQ's order: no priority first, then lower numbers; within one, the order of arrival. */
function rank(job: MemoryJob): number {
  return (job.request.priority ?? 0) * 1e13 + job.runAt;
}
