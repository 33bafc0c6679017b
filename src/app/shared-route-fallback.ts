/**
 * The in-process fallback for shared routes on a broker without shared subscriptions (aedes, NATS,
 * RabbitMQ, or MQTT 3.1.1 without MQTT_SHARED_SUBSCRIPTIONS=true): never a silently dead route, never a
 * message handled once per worker.
 * @module
 */
import type { RouteDefinition } from '../metadata/route-definition';
import type { ExecutableRoute } from '../pipeline/executable-route';
import type { ProcessMode } from './process-mode';

/** The routes (definition and executable, index-aligned) a process serves. */
export interface ServedRoutes {
  readonly definitions: readonly RouteDefinition[];
  readonly executables: readonly ExecutableRoute[];
}

/**
 * The routes this process serves on a broker that has (or lacks) shared subscriptions. With them,
 * everything it was given. Without them, a shared route subscribes its bare filter, so every
 * subscriber receives every message: in a worker process only worker 0 keeps it, and serves it with
 * `workers` messages at once, as a single process does (docs/brokers.md).
 *
 * @example
 * ```ts
 * const served = routesForBroker(parts, mode, transport.capabilities.sharedSubscriptions);
 * ```
 */
export function routesForBroker(
  routes: ServedRoutes,
  mode: ProcessMode,
  sharedSubscriptions: boolean,
): ServedRoutes {
  if (sharedSubscriptions || mode.kind !== 'worker') return routes;
  const first = mode.identity.index === 0;
  const keep = routes.definitions.map((definition) => first || !definition.shared);
  routes.definitions.forEach((definition, i) => {
    if (first && definition.shared) routes.executables[i].limiter.raiseTo(definition.workers);
  });
  return {
    definitions: routes.definitions.filter((_, i) => keep[i]),
    executables: routes.executables.filter((_, i) => keep[i]),
  };
}
