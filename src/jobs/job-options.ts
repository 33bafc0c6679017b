import type { Class } from '../metadata/types';

/** How long to wait before the next attempt of a failed job. */
export interface JobBackoff {
  /** `fixed`: always `delayMs`; `exponential`: `delayMs * 2^(attempt - 1)` (BullMQ's formula). */
  readonly type: 'fixed' | 'exponential';
  readonly delayMs: number;
}

/** A repeatable job: a cron pattern or a fixed interval (BullMQ job schedulers). */
export interface JobRepeat {
  /** Cron pattern (5 fields, or 6 with seconds first), e.g. `0 3 * * *` for 03:00 every day. */
  readonly cron?: string;
  /** IANA time zone of the cron pattern (default: the process's). */
  readonly tz?: string;
  /** Or: run every N milliseconds. */
  readonly everyMs?: number;
  /** Data each scheduled run receives (default `{}`). */
  readonly data?: unknown;
}

/**
 * Options of `@Job`.
 *
 * @example
 * ```ts
 * @Job({ queue: 'emails', attempts: 5, backoff: { type: 'exponential', delayMs: 1000 }, timeoutMs: 60_000 })
 * class SendMail { async handle(data: { to: string }) {} }
 * ```
 */
export interface JobOptions {
  /** Queue the job goes through (default `default`). Workers run per queue. */
  readonly queue?: string;
  /** Name stored with each job (default: the class name); unique within the app. */
  readonly name?: string;
  /** Attempts before the job is kept as failed (default 3). */
  readonly attempts?: number;
  /** Delay between attempts (default exponential from 1000 ms). */
  readonly backoff?: JobBackoff;
  /** Jobs of this queue one process runs at once (default 1; a queue takes the largest of its jobs). */
  readonly concurrency?: number;
  /** An attempt running longer fails with ERR_JOB_TIMEOUT (and is retried); default: no limit. */
  readonly timeoutMs?: number;
  /** Run on a schedule (one scheduler per job class, replaced at each start). */
  readonly repeat?: JobRepeat;
  /** A class-validator DTO: data is validated at dispatch and at run, and the handler gets an instance. */
  readonly data?: Class;
}

/**
 * Options of one dispatch.
 *
 * @example
 * ```ts
 * await jobs.dispatch(SendMail, { to }, { delayMs: 60_000, jobId: `welcome-${userId}` });
 * ```
 */
export interface DispatchJobOptions {
  /** Run no earlier than this many milliseconds from now (default 0). */
  readonly delayMs?: number;
  /**
   * Your id for the job: a second dispatch with the same id, while the first is still kept, adds
   * nothing (de-duplication). Not only digits, no `:`.
   */
  readonly jobId?: string;
  /** 1 (highest) to 2,097,152; jobs without a priority run first (BullMQ's rule). */
  readonly priority?: number;
}
