/**
 * What the supervisor's HTTP endpoint serves: the metrics of every worker merged (summed per series),
 * and a readiness that asks each worker.
 * @module
 */
import type { ChildProcess } from 'node:child_process';
import type { WorkerStatus } from '../workers/supervisor';
import type { EndpointHandlers } from './http-endpoint';
import type { PromClient } from './prometheus-metrics';
import type { ReadinessReport } from './readiness';
import { askWorkers } from './worker-channel';

/** How long a worker may take to answer before the supervisor answers without it. */
const WORKER_ANSWER_TIMEOUT_MS = 2000;

/** The supervisor as the endpoint sees it. */
export interface SupervisedWorkers {
  readonly workers: readonly WorkerStatus[];
  readonly processes: readonly ChildProcess[];
}

/**
 * The endpoint handlers of a supervisor: `/metrics` merges its own registry (process metrics,
 * `routemq_workers`) with every running worker's through prom-client's `AggregatorRegistry.aggregate`
 * (counters and histograms summed, per label set); `/ready` is true when every worker slot runs and
 * every worker reports ready, and the supervisor is not stopping.
 *
 * @example
 * ```ts
 * const handlers = supervisorHandlers(prom, registry, () => supervisor, () => draining);
 * ```
 */
export function supervisorHandlers(
  prom: PromClient,
  own: { getMetricsAsJSON(): Promise<unknown[]> },
  supervised: () => SupervisedWorkers | undefined,
  draining: () => boolean,
): EndpointHandlers {
  return {
    async metrics() {
      const processes = supervised()?.processes ?? [];
      const answers = await askWorkers(processes, 'metrics', WORKER_ANSWER_TIMEOUT_MS);
      const registries = [await own.getMetricsAsJSON(), ...answers.filter(Array.isArray)];
      const merged = prom.AggregatorRegistry.aggregate(registries);
      return { contentType: merged.contentType, body: await merged.metrics() };
    },
    async ready(): Promise<ReadinessReport> {
      const current = supervised();
      const checks: Record<string, boolean> = { draining: !draining(), workers: current !== undefined };
      if (current) {
        const answers = await askWorkers(current.processes, 'ready', WORKER_ANSWER_TIMEOUT_MS);
        checks.workers = current.workers.every((w) => w.state === 'running');
        current.processes.forEach((child, i) => {
          checks[`worker pid ${child.pid}`] = (answers[i] as ReadinessReport | undefined)?.ready === true;
        });
      }
      return { ready: Object.values(checks).every(Boolean), checks };
    },
  };
}

/**
 * Registers `routemq_workers{state}` and `routemq_worker_restarts_total` in the supervisor's registry.
 *
 * @example
 * ```ts
 * defineWorkerMetrics(prom, registry, () => supervisor?.workers ?? []);
 * ```
 */
export function defineWorkerMetrics(
  prom: PromClient,
  registry: InstanceType<PromClient['Registry']>,
  workers: () => readonly WorkerStatus[],
): void {
  const states: WorkerStatus['state'][] = ['starting', 'running', 'restarting', 'stopped', 'failed'];
  new prom.Gauge({
    name: 'routemq_workers',
    help: 'Worker process slots of the supervisor, by state.',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const current = workers();
      for (const state of states) this.set({ state }, current.filter((w) => w.state === state).length);
    },
  });
  new prom.Counter({
    name: 'routemq_worker_restarts_total',
    help: 'Worker processes restarted by the supervisor after they exited.',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(workers().reduce((sum, w) => sum + w.restarts, 0));
    },
  });
}
