import { RouteMQError } from '../errors';
import { currentTrace, formatTraceparent } from '../observability/trace-context';
import { jobDataCheck } from './job-data';
import type { JobClass } from './job-decorator';
import type { JobDefinition } from './job-definition';
import type { EnqueueRequest, JobDriver, QueueCounts } from './job-driver';
import { JobDataError } from './job-errors';
import type { DispatchJobOptions } from './job-options';

/** A stored job: what `dispatch` resolves with. */
export interface DispatchedJob {
  readonly id: string;
  readonly name: string;
  readonly queue: string;
}

/** One dispatch as `routemq/testing` records it. */
export interface JobDispatch extends DispatchedJob {
  readonly jobClass: JobClass;
  readonly data: unknown;
  readonly options: DispatchJobOptions;
}

type DispatchListener = (dispatch: JobDispatch) => void;

/**
 * Dispatches background jobs and reads queue sizes. Inject it in controllers and services; it is
 * registered when a module lists `jobs`. `dispatch` resolves once the job is stored (in Redis with
 * REDIS_URL), so a handler that awaits it has its MQTT message acknowledged only after that.
 *
 * @example
 * ```ts
 * constructor(private readonly jobs: JobQueue) {}
 * await this.jobs.dispatch(SendAlertEmail, { to: 'ops@example.com', deviceId }, { jobId: `alert-${deviceId}` });
 * ```
 */
export class JobQueue {
  readonly #byClass = new Map<
    JobClass,
    { definition: JobDefinition; check: (d: unknown) => Promise<unknown> }
  >();
  readonly #listeners: DispatchListener[] = [];

  /** @internal Built by the app (jobs integration). */
  constructor(
    readonly definitions: readonly JobDefinition[],
    /** @internal */ readonly driver: JobDriver,
  ) {
    for (const definition of definitions) {
      this.#byClass.set(definition.jobClass, { definition, check: jobDataCheck(definition) });
    }
  }

  /** `bullmq` (durable, REDIS_URL set) or `memory` (in-process, not durable). */
  get driverKind(): 'bullmq' | 'memory' {
    return this.driver.kind;
  }

  /** The queues of this app's jobs. */
  get queues(): string[] {
    return [...new Set(this.definitions.map((d) => d.queue))];
  }

  /** Stores one job; resolves with its id once stored. Throws ERR_JOB_DATA_INVALID for bad data. */
  async dispatch<D>(job: JobClass<D>, data: D, options: DispatchJobOptions = {}): Promise<DispatchedJob> {
    const [stored] = await this.#store(job as JobClass, [data], options);
    return stored;
  }

  /** Stores several jobs of one class in one round trip (Redis MULTI with BullMQ). */
  dispatchMany<D>(
    job: JobClass<D>,
    items: readonly D[],
    options: Omit<DispatchJobOptions, 'jobId'> = {},
  ): Promise<DispatchedJob[]> {
    return this.#store(job as JobClass, items, options);
  }

  async #store(
    job: JobClass,
    items: readonly unknown[],
    options: DispatchJobOptions,
  ): Promise<DispatchedJob[]> {
    const entry = this.#entryOf(job);
    const { definition } = entry;
    checkOptions(definition.name, options);
    const checked = await Promise.all(items.map((data) => entry.check(data)));
    const trace = currentTrace();
    const traceparent = trace && formatTraceparent(trace);
    const requests: EnqueueRequest[] = items.map((_, i) => ({
      queue: definition.queue,
      name: definition.name,
      // The checked value: its JSON form is what is stored, the same with either driver.
      envelope: { data: plainOf(items[i], checked[i]), ...(traceparent && { traceparent }) },
      attempts: definition.attempts,
      backoff: definition.backoff,
      jobId: options.jobId,
      delayMs: options.delayMs,
      priority: options.priority,
    }));
    const ids = await this.driver.enqueue(requests);
    return ids.map((id, i) => {
      const stored = { id, name: definition.name, queue: definition.queue };
      const record = { ...stored, jobClass: definition.jobClass, data: items[i], options };
      for (const listener of this.#listeners) listener(record);
      return stored;
    });
  }

  /** Jobs of a queue (or of a job class's queue) not started yet: waiting and delayed. */
  async size(queue: string | JobClass): Promise<number> {
    const name = typeof queue === 'string' ? queue : this.#entryOf(queue).definition.queue;
    const counts = await this.driver.counts(name);
    return counts.waiting + counts.delayed;
  }

  /** Counts per state of every queue of the app. */
  async stats(): Promise<Record<string, QueueCounts>> {
    const entries = await Promise.all(
      this.queues.map(async (q) => [q, await this.driver.counts(q)] as const),
    );
    return Object.fromEntries(entries);
  }

  /** @internal Calls `listener` for every stored dispatch (routemq/testing). */
  onDispatch(listener: DispatchListener): void {
    this.#listeners.push(listener);
  }

  #entryOf(job: JobClass) {
    const entry = this.#byClass.get(job);
    if (entry) return entry;
    throw new RouteMQError(
      'ERR_JOB_NOT_REGISTERED',
      `${job?.name ?? String(job)} is not a job of this app: list it in @Module({ jobs: [...] }) (and decorate it with @Job).`,
    );
  }
}

/** For DTO jobs the original plain data is stored (the instance is re-built at run time). */
function plainOf(original: unknown, checked: unknown): unknown {
  return checked !== null && typeof checked === 'object' && checked.constructor !== Object
    ? JSON.parse(JSON.stringify(original ?? null))
    : checked;
}

const NUMERIC = /^\d+$/;

function checkOptions(name: string, options: DispatchJobOptions): void {
  const { jobId, delayMs, priority } = options;
  if (
    jobId !== undefined &&
    (typeof jobId !== 'string' || jobId === '' || jobId.includes(':') || NUMERIC.test(jobId))
  ) {
    throw new JobDataError(
      `job ${name}: jobId ${JSON.stringify(jobId)} is not usable; use text that is not only digits and has no ':' (e.g. alert-42).`,
    );
  }
  if (delayMs !== undefined && !(Number.isInteger(delayMs) && delayMs >= 0)) {
    throw new JobDataError(`job ${name}: delayMs ${JSON.stringify(delayMs)} must be a whole number >= 0.`);
  }
  if (priority !== undefined && !(Number.isInteger(priority) && priority >= 1 && priority <= 2_097_152)) {
    throw new JobDataError(
      `job ${name}: priority ${JSON.stringify(priority)} must be a whole number from 1 to 2097152.`,
    );
  }
}
