import type { BatchItem } from '../batch/batch-item';
import { BatchRoute } from '../batch/batch-route';
import { Limiter } from '../concurrency/limiter';
import { isRouteMQError } from '../errors';
import type { RouteDefinition } from '../metadata/route-definition';
import { compose, type Chain, type Terminal } from '../pipeline/compose';
import type { BoundHandler, ExecutableRoute } from '../pipeline/executable-route';
import type { MessageContext } from '../pipeline/message-context';
import type { Middleware } from '../pipeline/middleware';
import { payloadConverterFor } from './payload-converter';
import type { AppConfig } from './config';
import type { RoutePolicy } from './route-policy';

/** Defaults of `batch` options. */
export const BATCH_DEFAULTS = Object.freeze({ maxSize: 100, maxWaitMs: 50 });

/** What bounds the messages a batch can wait for (docs/batching.md, "The in-flight window"). */
export interface BatchWindow {
  /** MQTT_RECEIVE_MAXIMUM: QoS 1/2 deliveries the broker sends before it waits for acknowledgements. */
  readonly window: number;
  /** MAX_HELD_MESSAGES (default MQTT_RECEIVE_MAXIMUM) / MAX_HELD_BYTES: the transport's intake bound. */
  readonly maxHeldMessages: number;
  readonly maxHeldBytes: number;
}

/** The batch window of a configuration. */
export function batchWindowOf(
  config: Pick<AppConfig, 'receiveMaximum' | 'maxHeldMessages' | 'maxHeldBytes'>,
): BatchWindow {
  return {
    window: config.receiveMaximum,
    maxHeldMessages: config.maxHeldMessages ?? config.receiveMaximum,
    maxHeldBytes: config.maxHeldBytes,
  };
}

/**
 * The batch size a route really gets: its `maxSize`, capped by the messages the app can hold
 * (MAX_HELD_MESSAGES) and, on QoS 1/2 routes, by the in-flight window (MQTT_RECEIVE_MAXIMUM): no more
 * messages than that arrive before some are finished, so a larger batch could never fill.
 *
 * @example
 * ```ts
 * effectiveBatchSize(route, batchWindowOf(config)); // 500 with maxSize 1000 and a window of 500
 * ```
 */
export function effectiveBatchSize(route: RouteDefinition, limits: BatchWindow): number {
  const maxSize = route.options.batch?.maxSize ?? BATCH_DEFAULTS.maxSize;
  const held = Math.min(maxSize, limits.maxHeldMessages);
  return route.qos === 0 ? held : Math.min(held, limits.window);
}

/**
 * Builds a batch route: each message runs the route's per-item steps (payload limits in the route
 * runner, then the middleware chain, then the `@Batch` DTO conversion) and joins a batch; the chain
 * settles when the item was stored or failed on its own. Items run their steps concurrently: the
 * route's `concurrency` bounds batches in flight instead.
 */
export function batchExecutable(
  route: RouteDefinition,
  handler: BoundHandler,
  middleware: readonly Middleware[],
  policy: RoutePolicy,
  window: BatchWindow,
): ExecutableRoute {
  const batch = new BatchRoute({
    handlerName: route.handlerName,
    maxSize: effectiveBatchSize(route, window),
    maxWaitMs: route.options.batch?.maxWaitMs ?? BATCH_DEFAULTS.maxWaitMs,
    concurrency: policy.limiter.limit,
    retry: policy.retry,
    handle: handlerCall(route, handler),
  });
  const param = route.params.find((p) => p.kind === 'batch');
  const convert = payloadConverterFor(param?.type, route.options.validation, route.handlerName);
  const terminal: Terminal = (ctx) => {
    const payload = convert(ctx);
    return payload instanceof Promise
      ? payload.then((value) => batch.join(itemOf(ctx, value)))
      : batch.join(itemOf(ctx, payload));
  };
  const { retryable } = policy.retry;
  return {
    info: { template: route.compiled.template, filter: route.compiled.filter, handler: route.handlerName },
    qos: route.qos,
    run: chainOf(middleware, terminal),
    ...policy,
    // Items wait for their batch concurrently; `concurrency` bounds the batches (batch-route.ts).
    limiter: new Limiter(Number.POSITIVE_INFINITY),
    // An item that failed on its own already had its batch's retries and the bisection.
    retry: { ...policy.retry, retryable: (e) => !isRouteMQError(e, 'ERR_BATCH_ITEM_FAILED') && retryable(e) },
    batch,
  };
}

function chainOf(middleware: readonly Middleware[], terminal: Terminal): Chain {
  if (middleware.length > 0) return compose(middleware, terminal);
  return async (ctx) => {
    await terminal(ctx);
    return undefined;
  };
}

/** The handler gets the items at its `@Batch()` position, or as its one argument (router functions). */
function handlerCall(route: RouteDefinition, handler: BoundHandler): (items: BatchItem[]) => unknown {
  const index = route.params.find((p) => p.kind === 'batch')?.index ?? 0;
  if (index === 0) return (items) => handler(items);
  return (items) => {
    const args = new Array<unknown>(index + 1);
    args[index] = items;
    return handler(...args);
  };
}

function itemOf(ctx: MessageContext, payload: unknown): BatchItem {
  const { packet } = ctx;
  return {
    topic: ctx.topic,
    params: ctx.params,
    payload,
    properties: packet.properties,
    qos: packet.qos,
    retain: packet.retain,
    // A child logger per item costs a few microseconds: made only when the handler uses it.
    get logger() {
      return ctx.logger;
    },
  };
}
