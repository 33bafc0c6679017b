import { RouteMQError } from '../errors';
import type { UnrecoverableMark } from './job-driver';

/**
 * A job attempt that ran past its `timeoutMs` (code ERR_JOB_TIMEOUT); retried like any failure.
 *
 * @example
 * ```ts
 * if (error instanceof JobTimeoutError) console.log(error.timeoutMs);
 * ```
 */
export class JobTimeoutError extends RouteMQError {
  constructor(
    where: string,
    readonly timeoutMs: number,
  ) {
    super(
      'ERR_JOB_TIMEOUT',
      `${where}: the attempt ran longer than timeoutMs (${timeoutMs} ms). Raise @Job({ timeoutMs }), or make handle() stop when job.signal aborts.`,
    );
    this.name = 'JobTimeoutError';
  }
}

/**
 * Job data that no retry can fix (code ERR_JOB_DATA_INVALID): refused at dispatch, or failed at once
 * when met at run time.
 *
 * @example
 * ```ts
 * await expect(jobs.dispatch(SendMail, { to: 42 })).rejects.toBeInstanceOf(JobDataError);
 * ```
 */
export class JobDataError extends RouteMQError implements UnrecoverableMark {
  readonly unrecoverable = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_JOB_DATA_INVALID', message, options);
    this.name = 'JobDataError';
  }
}
