import type { RouteDefinition } from '../metadata/route-definition';

/** One route as shown to people (start-up log, `app.routes`, the `routemq routes` command). */
export interface RouteDescription {
  readonly template: string;
  /** The SUBSCRIBE filter, share prefix included. */
  readonly subscription: string;
  readonly qos: 0 | 1 | 2;
  readonly shared: boolean;
  readonly group?: string;
  readonly workers: number;
  readonly reply?: string;
  readonly middleware: readonly string[];
  readonly handler: string;
}

/** Describes routes with the subscription each one is served by. */
export function describeRoutes(
  routes: readonly RouteDefinition[],
  subscriptionOf: (route: RouteDefinition) => string,
): RouteDescription[] {
  return routes.map((route) => ({
    template: route.compiled.template,
    subscription: subscriptionOf(route),
    qos: route.qos,
    shared: route.shared,
    group: route.group,
    workers: route.workers,
    reply: route.reply?.template,
    middleware: route.middleware.map((m) => m.name),
    handler: route.handlerName,
  }));
}

/** One line per route, for the start-up log. */
export function formatRouteLine(route: RouteDescription): string {
  const chain = route.middleware.length > 0 ? ` [${route.middleware.join(' > ')}]` : '';
  const reply = route.reply ? ` reply->${route.reply}` : '';
  return `${route.template}  (${route.subscription}, qos ${route.qos})  -> ${route.handler}${chain}${reply}`;
}
