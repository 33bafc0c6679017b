import type { Command } from 'commander';
import { RouteMQError } from '../../errors';
import type { StoredJob } from '../../jobs/job-driver';
import type { CliIo } from '../io';
import { formatJob, formatJobList } from '../jobs/job-format';
import { openJobStore, type JobStore, type JobStoreOptions } from '../jobs/job-store';

interface ListOptions extends JobStoreOptions {
  limit?: string;
  json?: boolean;
}

/**
 * `routemq jobs failed|show|retry|remove|clean`: the failed jobs kept in Redis (docs/jobs.md).
 *
 * @example
 * ```ts
 * await runCli(['jobs', 'failed', '--queue', 'emails']);
 * ```
 */
export function jobsCommand(program: Command, io: CliIo): void {
  const jobs = program.command('jobs').description('inspect and handle stored jobs (needs REDIS_URL)');
  const withStore = (command: Command) =>
    command
      .option('-q, --queue <name...>', 'queue(s) to work on (default: every queue of the app)')
      .option('-e, --entry <file>', 'compiled entry exporting the root module (default: package.json "main")')
      .option('-m, --module <name>', 'the exported @Module to use when the entry exports several');
  withStore(jobs.command('failed'))
    .description('list the failed jobs')
    .option('--limit <n>', 'most jobs listed per queue', '50')
    .option('--json', 'print JSON')
    .action((options: ListOptions) => using(io, options, (store) => listFailed(store, options, io)));
  withStore(jobs.command('show <id>'))
    .description('print one job: data, state, attempts, error and stack')
    .option('--json', 'print JSON')
    .action((id: string, options: ListOptions) =>
      using(io, options, async (store) => {
        const job = await findJob(store, id);
        io.out(options.json ? JSON.stringify(job, null, 2) : formatJob(job));
      }),
    );
  withStore(jobs.command('retry [id]'))
    .description('run a failed job again (or every failed job with --all)')
    .option('--all', 'retry every failed job of the queue(s)')
    .action((id: string | undefined, options: JobStoreOptions & { all?: boolean }) =>
      using(io, options, (store) => retry(store, id, options.all === true, io)),
    );
  withStore(jobs.command('remove <id>'))
    .description('delete a job')
    .action((id: string, options: JobStoreOptions) =>
      using(io, options, async (store) => {
        const job = await findJob(store, id);
        await store.driver.remove(job.queue, job.id);
        io.out(`removed job ${job.id} (${job.name}) from ${job.queue}`);
      }),
    );
  withStore(jobs.command('clean'))
    .description('delete jobs of a state (only --failed for now)')
    .requiredOption('--failed', 'delete every failed job')
    .action((options: JobStoreOptions) =>
      using(io, options, async (store) => {
        for (const queue of store.queues) {
          io.out(`${queue}: removed ${await store.driver.cleanFailed(queue)} failed job(s)`);
        }
      }),
    );
}

async function using(
  io: CliIo,
  options: JobStoreOptions,
  work: (store: JobStore) => Promise<void>,
): Promise<void> {
  const store = openJobStore(options, io);
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
