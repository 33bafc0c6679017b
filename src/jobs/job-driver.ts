import type { JobBackoff, JobRepeat } from './job-options';

/** What is stored for one job: the user's data and the trace of the message that dispatched it. */
export interface JobEnvelope {
  readonly data: unknown;
  /** W3C `traceparent` of the dispatching message, when it was traced. */
  readonly traceparent?: string;
}

/** One job to store. */
export interface EnqueueRequest {
  readonly queue: string;
  readonly name: string;
  readonly envelope: JobEnvelope;
  readonly attempts: number;
  readonly backoff: JobBackoff;
  readonly jobId?: string;
  readonly delayMs?: number;
  readonly priority?: number;
}

/** A job as a worker runs it. */
export interface RunningJob {
  readonly id: string;
  readonly name: string;
  readonly queue: string;
  readonly envelope: JobEnvelope;
  /** Attempts already made before this one (0 on the first run). */
  readonly attemptsMade: number;
  readonly attempts: number;
  progress(value: number | object): Promise<void>;
}

/** Jobs of one queue per state. */
export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
}

/** A stored job, for `routemq jobs show|failed`. */
export interface StoredJob {
  readonly id: string;
  readonly queue: string;
  readonly name: string;
  readonly state: string;
  readonly data: unknown;
  readonly attemptsMade: number;
  readonly failedReason?: string;
  readonly stacktrace: readonly string[];
  readonly createdAt: number;
  readonly finishedAt?: number;
}

/** The workers of one queue. */
export interface QueueWorker {
  readonly queue: string;
  readonly concurrency: number;
  /** Runs one attempt; a rejection is a failed attempt (retried with the job's backoff). */
  readonly run: (job: RunningJob) => Promise<unknown>;
}

/** Marks an error that no retry can fix (invalid data): the job fails at once. */
export interface UnrecoverableMark {
  readonly unrecoverable: true;
}

/** True when `error` is marked unrecoverable. */
export function isUnrecoverable(error: unknown): boolean {
  return (error as Partial<UnrecoverableMark> | null)?.unrecoverable === true;
}

/**
 * Where jobs are stored and run: BullMQ on Redis, or the in-process queue. Both pass the same
 * contract suite (test/contract/jobs): same retries, backoff, de-duplication, failed list.
 */
export interface JobDriver {
  /** `bullmq` (durable, shared by every process) or `memory` (this process only, lost on exit). */
  readonly kind: 'bullmq' | 'memory';
  /** Stores jobs; resolves with their ids once stored (in Redis for BullMQ). */
  enqueue(requests: readonly EnqueueRequest[]): Promise<string[]>;
  /** Creates or replaces the scheduler `id` of a repeatable job. */
  schedule(id: string, request: EnqueueRequest, repeat: JobRepeat): Promise<void>;
  counts(queue: string): Promise<QueueCounts>;
  /** Starts workers; `lockMs` bounds how long a dead worker's job waits before another takes it. */
  work(workers: readonly QueueWorker[], lockMs: number): Promise<void>;
  /** Stops taking jobs and waits (bounded) for the running ones; true when they all finished. */
  stopWorkers(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
  failed(queue: string, limit: number): Promise<StoredJob[]>;
  find(queue: string, id: string): Promise<StoredJob | undefined>;
  /** Moves a failed job back to waiting; false when there is no such failed job. */
  retry(queue: string, id: string): Promise<boolean>;
  retryAll(queue: string): Promise<number>;
  remove(queue: string, id: string): Promise<boolean>;
  cleanFailed(queue: string): Promise<number>;
}

/** Delay before attempt `attemptsMade + 1` after a failure (BullMQ's built-in formulas). */
export function backoffDelay(backoff: JobBackoff, attemptsMade: number): number {
  if (backoff.type === 'fixed') return backoff.delayMs;
  return Math.round(2 ** Math.max(0, attemptsMade - 1) * backoff.delayMs);
}
