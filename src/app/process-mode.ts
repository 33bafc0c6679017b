import { hostname } from 'node:os';
import type { RouteDefinition } from '../metadata/route-definition';
import { currentWorker, type WorkerIdentity } from '../workers/worker-env';
import { needsWorkers, planWorkers, servedBy, type WorkerAssignment } from '../workers/worker-plan';
import type { AppConfig } from './config';

/**
 * What this process is: a single process serving every route, a worker serving its share of the
 * routes, or the supervisor of the workers (which serves no route itself).
 */
export type ProcessMode =
  | { readonly kind: 'single'; readonly workersInProcess?: string }
  | { readonly kind: 'worker'; readonly identity: WorkerIdentity }
  | { readonly kind: 'supervisor'; readonly plan: readonly WorkerAssignment[]; readonly clientBase: string };

/** What decides the mode besides the routes and the configuration. */
export interface ModeInputs {
  /** createApp's `supervise` option: false keeps everything in this process. */
  readonly supervise?: boolean;
  /** A transport was given to createApp (tests): no processes to fork. */
  readonly customTransport: boolean;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * Chooses the process mode. Worker processes need a broker with shared subscriptions (MQTT_BROKER
 * set; the embedded aedes has none) and an entry file to fork (not a test runner). Otherwise routes
 * with `workers: N` run in this process with in-process concurrency N instead, and the app says why.
 */
export function chooseProcessMode(
  routes: readonly RouteDefinition[],
  config: AppConfig,
  inputs: ModeInputs,
): ProcessMode {
  const identity = currentWorker(inputs.env);
  if (identity) return { kind: 'worker', identity };
  if (!needsWorkers(routes)) return { kind: 'single' };
  const reason = whyNoWorkerProcesses(config, inputs);
  if (reason) return { kind: 'single', workersInProcess: reason };
  const clientBase = config.clientId ?? `routemq-${hostname().slice(0, 20)}-${process.pid}`;
  return { kind: 'supervisor', plan: planWorkers(routes), clientBase };
}

function whyNoWorkerProcesses(config: AppConfig, inputs: ModeInputs): string | undefined {
  if (inputs.supervise === false) return 'createApp was given supervise: false';
  if (inputs.customTransport) return 'createApp was given its own transport';
  if (config.broker === undefined) {
    return 'the embedded broker (aedes) has no shared subscriptions; set MQTT_BROKER to Mosquitto or EMQX for worker processes';
  }
  if (inputs.env.JEST_WORKER_ID !== undefined || inputs.env.VITEST !== undefined) {
    return 'running under a test runner, which cannot be forked as the app entry';
  }
  return undefined;
}

/** The routes this process serves: a worker its share, any other process all of them. */
export function routesServedIn(mode: ProcessMode, routes: readonly RouteDefinition[]): RouteDefinition[] {
  if (mode.kind !== 'worker') return [...routes];
  return routes.filter((route) => servedBy(route, mode.identity.index));
}
