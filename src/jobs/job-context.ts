import type { Logger } from 'pino';

/**
 * What a job's `handle` gets besides its data.
 *
 * @example
 * ```ts
 * async handle(data: { to: string }, job: JobContext) {
 *   job.logger.info({ attempt: job.attempt }, 'sending');
 *   await job.progress(50);
 * }
 * ```
 */
export interface JobContext {
  /** The job's id (yours when dispatched with `jobId`). */
  readonly id: string;
  /** The job's name (the class name unless `@Job({ name })`). */
  readonly name: string;
  readonly queue: string;
  /** This attempt, from 1. */
  readonly attempt: number;
  /** The attempts the job has in all. */
  readonly attempts: number;
  /** A child of the app logger with job, queue, id, attempt (and traceId when traced). */
  readonly logger: Logger;
  /** Aborted when the attempt exceeds `timeoutMs`: pass it to fetch() and the like. */
  readonly signal: AbortSignal;
  /** Reports progress (0-100 or any JSON object); stored with the job. */
  progress(value: number | object): Promise<void>;
}
