import { randomUUID } from 'node:crypto';
import type { EnqueueRequest, JobDriver, QueueCounts, QueueWorker, StoredJob } from './job-driver';
import { MemoryJobQueue } from './memory-job-queue';
import type { JobRepeat } from './job-options';
import { nextRunDelay } from './repeat-schedule';

/**
 * The in-process driver, used when REDIS_URL is unset: same API and rules as BullMQ, but the jobs
 * live in this process only (lost when it exits, never shared with other processes).
 *
 * @example
 * ```ts
 * const driver = new MemoryJobDriver();
 * await driver.enqueue([{ queue: 'emails', name: 'SendMail', envelope: { data: {} }, attempts: 3, backoff }]);
 * ```
 */
export class MemoryJobDriver implements JobDriver {
  readonly kind = 'memory';
  readonly #queues = new Map<string, MemoryJobQueue>();
  readonly #schedulers = new Map<string, NodeJS.Timeout>();
  #workers: readonly QueueWorker[] = [];
  #nextId = 1;

  enqueue(requests: readonly EnqueueRequest[]): Promise<string[]> {
    return Promise.resolve(requests.map((request) => this.#add(request)));
  }

  schedule(id: string, request: EnqueueRequest, repeat: JobRepeat): Promise<void> {
    clearTimeout(this.#schedulers.get(id));
    const arm = (): void => {
      const timer = setTimeout(
        () => {
          this.#add({ ...request, jobId: `repeat:${id}:${randomUUID()}` });
          arm();
        },
        nextRunDelay(repeat, Date.now()),
      );
      timer.unref();
      this.#schedulers.set(id, timer);
    };
    arm();
    return Promise.resolve();
  }

  counts(queue: string): Promise<QueueCounts> {
    return Promise.resolve(this.#queue(queue).counts());
  }

  work(workers: readonly QueueWorker[]): Promise<void> {
    this.#workers = workers;
    for (const worker of workers) this.#queue(worker.queue).work(worker);
    return Promise.resolve();
  }

  /** Runs every queued job now (tests); the workers given to work() or `workers`. */
  async runAll(workers: readonly QueueWorker[] = this.#workers): Promise<number> {
    let ran = 0;
    for (let round = -1; round !== 0;) {
      round = 0;
      for (const worker of workers) round += await this.#queue(worker.queue).runAll(worker);
      ran += round;
    }
    return ran;
  }

  async stopWorkers(timeoutMs: number): Promise<boolean> {
    for (const timer of this.#schedulers.values()) clearTimeout(timer);
    this.#schedulers.clear();
    const stopped = Promise.all([...this.#queues.values()].map((q) => q.stop())).then(() => true);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const drained = await Promise.race([stopped, late]);
    clearTimeout(timer);
    return drained;
  }

  close(): Promise<void> {
    for (const timer of this.#schedulers.values()) clearTimeout(timer);
    for (const queue of this.#queues.values()) queue.close();
    return Promise.resolve();
  }

  failed(queue: string, limit: number): Promise<StoredJob[]> {
    const q = this.#queue(queue);
    return Promise.resolve(q.failed(limit).map((job) => q.stored(job)));
  }

  find(queue: string, id: string): Promise<StoredJob | undefined> {
    const q = this.#queue(queue);
    const job = q.find(id);
    return Promise.resolve(job && q.stored(job));
  }

  retry(queue: string, id: string): Promise<boolean> {
    return Promise.resolve(this.#queue(queue).retry(id));
  }

  retryAll(queue: string): Promise<number> {
    const q = this.#queue(queue);
    return Promise.resolve(q.failed(Infinity).filter((job) => q.retry(job.id)).length);
  }

  remove(queue: string, id: string): Promise<boolean> {
    return Promise.resolve(this.#queue(queue).remove(id));
  }

  cleanFailed(queue: string): Promise<number> {
    const q = this.#queue(queue);
    return Promise.resolve(q.failed(Infinity).filter((job) => q.remove(job.id)).length);
  }

  #add(request: EnqueueRequest): string {
    return this.#queue(request.queue).add(request.jobId ?? String(this.#nextId++), request);
  }

  #queue(name: string): MemoryJobQueue {
    let queue = this.#queues.get(name);
    if (!queue) {
      queue = new MemoryJobQueue(name);
      this.#queues.set(name, queue);
    }
    return queue;
  }
}
