import { RouteMQError } from '../../errors';
import type { StoredJob } from '../../jobs/job-driver';
import type { CliIo } from '../io';
import { formatJob, formatJobList } from '../jobs/job-format';
import { openJobStore, type JobStore, type JobStoreOptions } from '../jobs/job-store';

/** Options of `routemq jobs failed|show`. */
export interface ListOptions extends JobStoreOptions {
  limit?: string;
  json?: boolean;
}

/**
 * `routemq jobs failed`: lists the failed jobs kept in Redis (docs/jobs.md). The other subcommands
 * below are `show`, `retry`, `remove` and `clean`; jobs.command.ts declares their options.
 *
 * @example
 * ```ts
 * await jobsFailed({ queue: ['emails'] }, processIo());
 * ```
 */
export function jobsFailed(options: ListOptions, io: CliIo): Promise<void> {
  return using(io, options, (store) => listFailed(store, options, io));
}

/** `routemq jobs show <id>`: one job with data, state, attempts, error and stack. */
export function jobsShow(id: string, options: ListOptions, io: CliIo): Promise<void> {
  return using(io, options, async (store) => {
    const job = await findJob(store, id);
    io.out(options.json ? JSON.stringify(job, null, 2) : formatJob(job));
  });
}

/** `routemq jobs retry [id] [--all]`: runs failed jobs again. */
export function jobsRetry(id: string | undefined, options: JobStoreOptions & { all?: boolean }, io: CliIo) {
  return using(io, options, (store) => retry(store, id, options.all === true, io));
}

/** `routemq jobs remove <id>`: deletes a job. */
export function jobsRemove(id: string, options: JobStoreOptions, io: CliIo): Promise<void> {
  return using(io, options, async (store) => {
    const job = await findJob(store, id);
    await store.driver.remove(job.queue, job.id);
    io.out(`removed job ${job.id} (${job.name}) from ${job.queue}`);
  });
}

/** `routemq jobs clean --failed`: deletes every failed job of the queue(s). */
export function jobsClean(options: JobStoreOptions, io: CliIo): Promise<void> {
  return using(io, options, async (store) => {
    for (const queue of store.queues) {
      io.out(`${queue}: removed ${await store.driver.cleanFailed(queue)} failed job(s)`);
    }
  });
}

async function using(
  io: CliIo,
  options: JobStoreOptions,
  work: (store: JobStore) => Promise<void>,
): Promise<void> {
  const store = await openJobStore(options, io);
  try {
    await work(store);
  } finally {
    await store.driver.close();
  }
}

async function listFailed(store: JobStore, options: ListOptions, io: CliIo): Promise<void> {
  const limit = Number(options.limit ?? 50);
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RouteMQError('ERR_CONFIG_INVALID', `--limit ${options.limit}: use a whole number >= 1`);
  }
  const failed: StoredJob[] = [];
  for (const queue of store.queues) failed.push(...(await store.driver.failed(queue, limit)));
  io.out(options.json ? JSON.stringify(failed, null, 2) : formatJobList(failed));
}

async function findJob(store: JobStore, id: string): Promise<StoredJob> {
  for (const queue of store.queues) {
    const job = await store.driver.find(queue, id);
    if (job) return job;
  }
  throw new RouteMQError(
    'ERR_JOB_NOT_FOUND',
    `no job ${JSON.stringify(id)} in queue(s) ${store.queues.join(', ')}; list them with routemq jobs failed, or name the queue with --queue.`,
  );
}

async function retry(store: JobStore, id: string | undefined, all: boolean, io: CliIo): Promise<void> {
  if (all === (id !== undefined)) {
    throw new RouteMQError(
      'ERR_CONFIG_INVALID',
      'give either a job id or --all: routemq jobs retry <id> | --all',
    );
  }
  if (all) {
    for (const queue of store.queues)
      io.out(`${queue}: ${await store.driver.retryAll(queue)} failed job(s) retried`);
    return;
  }
  const job = await findJob(store, id as string);
  if (!(await store.driver.retry(job.queue, job.id))) {
    throw new RouteMQError(
      'ERR_JOB_NOT_FOUND',
      `job ${job.id} is ${job.state}, not failed: only failed jobs are retried.`,
    );
  }
  io.out(`job ${job.id} (${job.name}) moved back to waiting in ${job.queue}`);
}
