/**
 * Job metrics on the app's /metrics (docs/operations.md, docs/jobs.md): queue depth per state, attempts
 * completed and failed, and attempt durations.
 * @module
 */
import type { Registry } from 'prom-client';
import type { PromClient } from '../observability/prometheus-metrics';
import type { JobsIntegration } from './jobs-integration';

const DURATION_BUCKETS = [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
const STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * Registers the job metrics of `jobs` in `registry`. `reportQueues` false leaves the queue-depth gauge
 * out: worker processes of one app read the same Redis queues, and their supervisor adds their metrics
 * up, so only worker 0 reports them.
 *
 * @example
 * ```ts
 * defineJobMetrics(require('prom-client'), metrics.registry, jobs, true);
 * ```
 */
export function defineJobMetrics(
  prom: PromClient,
  registry: Registry,
  jobs: JobsIntegration,
  reportQueues: boolean,
): void {
  const labelNames = ['queue', 'job'] as const;
  const completed = new prom.Counter({
    name: 'routemq_jobs_completed_total',
    help: 'Jobs that completed in this process.',
    labelNames,
    registers: [registry],
  });
  const failed = new prom.Counter({
    name: 'routemq_jobs_failed_total',
    help: 'Jobs that failed their last attempt in this process (kept as failed).',
    labelNames,
    registers: [registry],
  });
  const retried = new prom.Counter({
    name: 'routemq_job_attempts_failed_total',
    help: 'Job attempts that failed and will be retried.',
    labelNames,
    registers: [registry],
  });
  const duration = new prom.Histogram({
    name: 'routemq_job_duration_seconds',
    help: 'Duration of one job attempt, in seconds.',
    labelNames,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  jobs.onAttempt(({ definition, durationMs, error, final }) => {
    const labels = { queue: definition.queue, job: definition.name };
    duration.observe(labels, durationMs / 1000);
    if (error === undefined) completed.inc(labels);
    else (final ? failed : retried).inc(labels);
  });
  if (reportQueues) defineQueueGauge(prom, registry, jobs);
}

function defineQueueGauge(prom: PromClient, registry: Registry, jobs: JobsIntegration): void {
  new prom.Gauge({
    name: 'routemq_jobs',
    help: 'Jobs per queue and state (waiting, active, delayed, failed), read from the queue at each scrape.',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const [queue, counts] of Object.entries(await jobs.queue.stats().catch(() => ({})))) {
        for (const state of STATES) this.set({ queue, state }, counts[state]);
      }
    },
  });
}
