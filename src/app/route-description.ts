import type { RouteDefinition } from '../metadata/route-definition';
import { BATCH_DEFAULTS } from './batch-binding';

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
  /** Batch settings of a batch route (docs/batching.md); maxSize as written, before the window cap. */
  readonly batch?: { readonly maxSize: number; readonly maxWaitMs: number; readonly concurrency?: number };
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
    ...(route.options.batch ? { batch: batchOf(route) } : {}),
  }));
}

function batchOf(route: RouteDefinition): NonNullable<RouteDescription['batch']> {
  const { batch = {}, concurrency } = route.options;
  return {
    maxSize: batch.maxSize ?? BATCH_DEFAULTS.maxSize,
    maxWaitMs: batch.maxWaitMs ?? BATCH_DEFAULTS.maxWaitMs,
    ...(concurrency !== undefined ? { concurrency } : {}),
  };
}

/** One line per route, for the start-up log. */
export function formatRouteLine(route: RouteDescription): string {
  const chain = route.middleware.length > 0 ? ` [${route.middleware.join(' > ')}]` : '';
  const reply = route.reply ? ` reply->${route.reply}` : '';
  const batch = route.batch ? ` ${formatBatch(route.batch)}` : '';
  return `${route.template}  (${route.subscription}, qos ${route.qos})  -> ${route.handler}${chain}${reply}${batch}`;
}

/** `batch 500/50ms` (`x2` when more than one batch runs at once). */
export function formatBatch(batch: NonNullable<RouteDescription['batch']>): string {
  const concurrency =
    batch.concurrency !== undefined && batch.concurrency > 1 ? ` x${batch.concurrency}` : '';
  return `batch ${batch.maxSize}/${batch.maxWaitMs}ms${concurrency}`;
}
