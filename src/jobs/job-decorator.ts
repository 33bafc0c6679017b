import { injectable } from 'tsyringe';
import type { Class } from '../metadata/types';
import type { JobContext } from './job-context';
import type { JobOptions } from './job-options';

/** A job class: built by the container (constructor injection), its `handle` runs each job. */
export type JobClass<D = unknown> = new (...args: never[]) => {
  handle(data: D, job: JobContext): unknown;
};

const jobOptions = new WeakMap<object, JobOptions>();

/**
 * Declares a background job. List the class in `@Module({ jobs: [...] })`; dispatch it with
 * {@link JobQueue}. Its constructor parameters are injected like a controller's.
 *
 * @example
 * ```ts
 * @Job({ queue: 'emails', attempts: 5, backoff: { type: 'exponential', delayMs: 1000 } })
 * class SendMail {
 *   constructor(private readonly mailer: Mailer) {}
 *   async handle(data: { to: string }, job: JobContext) { await this.mailer.send(data.to); }
 * }
 * ```
 */
export function Job(options: JobOptions = {}): ClassDecorator {
  return (target) => {
    // Injectable, like a controller: tsyringe reads its constructor parameter types.
    injectable()(target as unknown as new (...a: unknown[]) => unknown);
    jobOptions.set(target, options);
  };
}

/** The options of a `@Job` class, or undefined when the class is not decorated. */
export function jobOptionsOf(target: Class | object): JobOptions | undefined {
  return jobOptions.get(target);
}
