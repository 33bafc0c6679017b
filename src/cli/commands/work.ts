import { createApp } from '../../app/create-app';
import { RouteMQError } from '../../errors';
import { JobsIntegration } from '../../jobs/jobs-integration';
import { currentWorker } from '../../workers/worker-env';
import { loadRootModule, resolveEntry } from '../entry';
import type { CliIo } from '../io';
import { superviseJobWorkers } from '../jobs/work-supervisor';

/** Options of `routemq work`. */
export interface WorkOptions {
  queue?: string[];
  maxJobs?: string;
  maxTime?: string;
  workers?: string;
  module?: string;
}

/**
 * `routemq work [entry]`: a process that runs job workers only (no MQTT subscriptions), for the app's
 * queues or `--queue` ones; `--max-jobs`/`--max-time` end it cleanly (a process manager, or `--workers`,
 * starts a fresh one).
 *
 * @example
 * ```ts
 * await runCli(['work', 'dist/main.js', '--queue', 'emails', '--workers', '2'], COMMANDS);
 * ```
 */
export async function runWork(entry: string | undefined, options: WorkOptions, io: CliIo): Promise<void> {
  const maxJobs = whole(options.maxJobs, '--max-jobs');
  const maxTime = whole(options.maxTime, '--max-time');
  const workers = whole(options.workers, '--workers') ?? 1;
  if (io.env.REDIS_URL === undefined || io.env.REDIS_URL === '') {
    throw new RouteMQError(
      'ERR_JOBS_UNAVAILABLE',
      'routemq work needs REDIS_URL: without it jobs run in-process inside each app process (JOB_WORKERS), and a separate worker would never see them.',
    );
  }
  const file = resolveEntry(entry, io.cwd);
  if (workers > 1 && !currentWorker(process.env)) {
    await superviseJobWorkers(workers, io);
    return;
  }
  const app = await createApp(await loadRootModule(file, options.module), {
    jobs: { only: true, queues: options.queue },
  });
  await app.start();
  app.enableShutdownHooks();
  const finish = (why: string) => {
    app.logger.info(`job worker done (${why}); stopping`);
    void app.stop().then((drained) => process.exit(drained ? 0 : 1));
  };
  if (maxJobs !== undefined) {
    let done = 0;
    app.container.resolve(JobsIntegration).onAttempt((attempt) => {
      if (attempt.final && ++done === maxJobs) finish(`${maxJobs} jobs`);
    });
  }
  if (maxTime !== undefined) setTimeout(() => finish(`${maxTime} s`), maxTime * 1000).unref();
}

function whole(raw: string | undefined, flag: string): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new RouteMQError('ERR_CONFIG_INVALID', `${flag} ${JSON.stringify(raw)}: use a whole number >= 1`);
  }
  return value;
}
