import type { RouteDefinition } from '../metadata/route-definition';
import type { ExecutableRoute } from '../pipeline/executable-route';
import { RouteTable } from '../routing/route-table';

/**
 * Builds the runtime route table. Without broker support for shared subscriptions (aedes), shared
 * routes subscribe their bare filter: this process serves them alone, and the app says so at start.
 */
export function buildRouteTable(
  definitions: readonly RouteDefinition[],
  executables: readonly ExecutableRoute[],
  sharePrefix: string,
  sharedSubscriptions: boolean,
): RouteTable<ExecutableRoute> {
  const entries = definitions.map((definition, i) => ({
    compiled: definition.compiled,
    qos: definition.qos,
    shareGroup: sharedSubscriptions ? definition.group : undefined,
    route: executables[i],
  }));
  return new RouteTable(entries, { sharePrefix });
}

/** The SUBSCRIBE topic of a route, as buildRouteTable subscribes it. */
export function subscriptionTopicOf(
  definition: RouteDefinition,
  sharePrefix: string,
  sharedSubscriptions: boolean,
): string {
  const filter = definition.compiled.filter;
  if (!sharedSubscriptions || definition.group === undefined) return filter;
  return sharePrefix === '$queue' ? `$queue/${filter}` : `${sharePrefix}/${definition.group}/${filter}`;
}
