import { flattenModule } from '../../app/module';
import { loadConfig } from '../../app/config';
import { RouteMQError } from '../../errors';
import { defineJobs } from '../../jobs/job-definition';
import type { JobDriver } from '../../jobs/job-driver';
import { createLogger } from './quiet-logger';
import { loadRootModule, resolveEntry } from '../entry';
import type { CliIo } from '../io';

/** Options every `routemq jobs` command takes. */
export interface JobStoreOptions {
  /** Queues to work on (default: every queue of the entry's jobs). */
  queue?: string[];
  /** The compiled entry exporting the root module (default: package.json "main", else dist/main.js). */
  entry?: string;
  module?: string;
}

/** The stored jobs the CLI works on: the BullMQ driver of REDIS_URL, and the queues to search. */
export interface JobStore {
  readonly driver: JobDriver;
  readonly queues: readonly string[];
}

/**
 * Opens the job store of REDIS_URL / JOB_PREFIX. The queues come from `--queue`, else from the
 * entry's modules (which are loaded, not started: nothing connects but the store).
 *
 * @example
 * ```ts
 * const store = await openJobStore({ queue: ['emails'] }, io);
 * ```
 */
export async function openJobStore(options: JobStoreOptions, io: CliIo): Promise<JobStore> {
  const config = loadConfig(io.env);
  if (config.redisUrl === undefined) {
    throw new RouteMQError(
      'ERR_JOBS_UNAVAILABLE',
      'REDIS_URL is unset: without it jobs run in-process inside each app process and no other process can see them. ' +
        'Set REDIS_URL (e.g. redis://127.0.0.1:6379) to the Redis the app uses.',
    );
  }
  const queues = options.queue?.length ? options.queue : await queuesOfEntry(options, io);
  // bullmq loads only for jobs commands.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const bullmq = require('../../jobs/bullmq-driver') as typeof import('../../jobs/bullmq-driver');
  const { createBullmqDriver } = bullmq;
  const driver = createBullmqDriver({
    redisUrl: config.redisUrl,
    prefix: config.jobPrefix,
    logger: createLogger(),
  });
  return { driver, queues };
}

async function queuesOfEntry(options: JobStoreOptions, io: CliIo): Promise<string[]> {
  const root = await loadRootModule(resolveEntry(options.entry, io.cwd), options.module);
  const queues = [...new Set(defineJobs(flattenModule(root).jobs).map((d) => d.queue))];
  if (queues.length === 0) {
    throw new RouteMQError(
      'ERR_JOBS_UNAVAILABLE',
      "The app's modules list no jobs: name the queue with --queue <name>, or point --entry at the app.",
    );
  }
  return queues;
}
