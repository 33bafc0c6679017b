import type { RouteDefinition } from '../metadata/route-definition';

/** Which routes one worker process serves. */
export interface WorkerAssignment {
  readonly index: number;
  /** `Controller.method` of the routes this worker serves. */
  readonly routes: readonly string[];
}

/**
 * Spreads routes over worker processes. A shared route with `workers: N` is served by workers 0..N-1
 * (each its own MQTT session in the share group, so the broker balances between them); a route that is
 * not shared is served by worker 0 alone, so its messages are handled once, not once per worker. The
 * number of processes is the largest `workers` of any route: routes with fewer workers simply do not
 * run on the higher-numbered processes (the Python original gave every worker every route).
 *
 * @example
 * ```ts
 * planWorkers(routes); // [{ index: 0, routes: ['A.a', 'B.b', 'C.c'] }, { index: 1, routes: ['A.a'] }]
 * ```
 */
export function planWorkers(routes: readonly RouteDefinition[]): WorkerAssignment[] {
  const count = Math.max(1, ...routes.map((route) => (route.shared ? route.workers : 1)));
  return Array.from({ length: count }, (_, index) => ({
    index,
    routes: routes.filter((route) => servedBy(route, index)).map((route) => route.handlerName),
  }));
}

/** True when worker `index` serves the route. */
export function servedBy(route: RouteDefinition, index: number): boolean {
  return route.shared ? index < route.workers : index === 0;
}

/** True when the app needs worker processes: some shared route asks for more than one. */
export function needsWorkers(routes: readonly RouteDefinition[]): boolean {
  return routes.some((route) => route.shared && route.workers > 1);
}
