import type { Logger } from 'pino';
import type { DependencyContainer } from 'tsyringe';
import type { AppConfig } from '../app/config';
import { construct } from '../app/route-binding';
import { ConfigError } from '../errors';
import type { Class } from '../metadata/types';
import { defineJobs } from './job-definition';
import type { JobHandler } from './job-runner';
import { JobsIntegration } from './jobs-integration';

/**
 * createApp's `jobs` option.
 *
 * @example
 * ```ts
 * const worker = await createApp(AppModule, { jobs: { only: true, queues: ['emails'] } }); // what `routemq work` runs
 * ```
 */
export interface JobsAppOptions {
  /** Serve no route, only run job workers (what `routemq work` runs). */
  readonly only?: boolean;
  /** Run workers for these queues only (default: every queue of the modules' jobs). */
  readonly queues?: readonly string[];
  /** Dispatched jobs wait until run by hand (`testApp.jobs.runAll()`); in-process driver only. */
  readonly manual?: boolean;
}

/** The jobs integration of an app, or undefined when no module lists jobs. */
export function createJobsIntegration(
  jobClasses: readonly Class[],
  config: AppConfig,
  options: JobsAppOptions & { readonly supervisor: boolean },
  logger: Logger,
): JobsIntegration | undefined {
  if (jobClasses.length === 0) return undefined;
  const definitions = defineJobs(jobClasses);
  const known = new Set(definitions.map((d) => d.queue));
  const unknown = (options.queues ?? []).filter((q) => !known.has(q));
  if (unknown.length > 0) {
    throw new ConfigError('ERR_JOB_INVALID', [
      `queue(s) ${unknown.join(', ')} hold none of the app's jobs (queues: ${[...known].join(', ')}); check --queue`,
    ]);
  }
  return new JobsIntegration(
    definitions,
    {
      ...config,
      runWorkers: config.jobWorkers && !options.supervisor,
      queues: options.queues,
      manual: options.manual,
    },
    logger,
  );
}

/** Builds every job class from the container; one ConfigError names each that cannot be built. */
export function bindJobs(integration: JobsIntegration, container: DependencyContainer): void {
  const problems: string[] = [];
  const instances = new Map<Class, JobHandler>();
  for (const d of integration.definitions) {
    instances.set(d.jobClass, construct(container, d.jobClass, `job ${d.name}`, problems) as JobHandler);
  }
  if (problems.length > 0)
    throw new ConfigError('ERR_DEPENDENCY_UNRESOLVED', problems, 'Cannot build the app');
  integration.bind((d) => instances.get(d.jobClass) as JobHandler);
}
