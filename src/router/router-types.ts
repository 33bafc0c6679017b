import type { BatchOptions, Class, TopicOptions } from '../metadata/types';
import type { MessageContext } from '../pipeline/message-context';
import type { MiddlewareClass } from '../pipeline/middleware';
import type { BatchItem } from '../batch/batch-item';

/**
 * A function route handler: receives the message context; its return value, when not undefined, is
 * published as the reply (same rules as a controller method).
 *
 * @example
 * ```ts
 * const onData: RouteHandlerFn = (ctx) => ctx.logger.info({ device: ctx.params.device_id }, 'data');
 * ```
 */
export type RouteHandlerFn = (ctx: MessageContext) => unknown;

/**
 * The names of the methods of `T`: what the second element of a {@link ControllerMethod} may be.
 *
 * @example
 * ```ts
 * const name: MethodName<SensorController> = 'data';
 * ```
 */
export type MethodName<T> = {
  [K in keyof T]: T[K] extends (...args: never[]) => unknown ? K : never;
}[keyof T] &
  string;

/**
 * A controller method as a route handler: the class is resolved from the app's container (so it may
 * inject services; give it `@injectable()` when its constructor has parameters) and its parameter
 * decorators (`@Param`, `@Payload`, `@Ctx`) and `@UseMiddleware` apply.
 *
 * @example
 * ```ts
 * const handler: ControllerMethod<SensorController> = [SensorController, 'data'];
 * ```
 */
export type ControllerMethod<T = unknown> = readonly [Class<T>, MethodName<T>];

/**
 * A function handler of a batch route (`{ batch }` in the route's options): receives the items of one
 * batch, in arrival order (docs/batching.md).
 *
 * @example
 * ```ts
 * const ingest: BatchHandlerFn = async (items) => store(items.map((item) => item.payload));
 * router.on('sensors/{device_id}/data', ingest, { qos: 1, batch: { maxSize: 500, maxWaitMs: 50 } });
 * ```
 */
export type BatchHandlerFn = (items: BatchItem[]) => unknown;

/** What `router.on` accepts as a handler. */
export type RouteHandler<T = unknown> = RouteHandlerFn | ControllerMethod<T>;

/**
 * Options of one router route: every `@Topic` option, plus middleware of this route alone (run after
 * the groups' middleware).
 *
 * @example
 * ```ts
 * router.on('sensors/{device_id}/data', onData, { qos: 1, middleware: [Audit] });
 * ```
 */
export interface RouterRouteOptions extends TopicOptions {
  middleware?: MiddlewareClass[];
}

/** Options of a router batch route: `batch` is required. */
export type BatchRouteOptions = RouterRouteOptions & { batch: BatchOptions };

/**
 * A group of routes: a topic prefix and middleware shared by every route defined inside it (nested
 * groups add theirs after their parent's).
 *
 * @example
 * ```ts
 * router.group({ prefix: 'devices', middleware: [Auth] }, (r) => r.on('{device_id}/ping', ping));
 * ```
 */
export interface RouterGroupOptions {
  prefix?: string;
  middleware?: MiddlewareClass[];
}

/**
 * Options of a `Router`: a name for logs and errors, and a prefix and middleware for all its routes.
 *
 * @example
 * ```ts
 * const router = new Router({ name: 'devices', prefix: 'devices', middleware: [Auth] });
 * ```
 */
export interface RouterOptions extends RouterGroupOptions {
  /** Shown in errors and in handler names of function routes (default `router`). */
  name?: string;
}

/**
 * One route as a router recorded it (checked later by the scanner, like a `@Topic`).
 *
 * @example
 * ```ts
 * router.routes.map((r) => [...r.prefixes, r.template].join('/')); // ['devices/{device_id}/ping']
 * ```
 */
export interface RouterRoute {
  /** The template as given to `on()`. */
  readonly template: string;
  /** Prefixes of the router and of the enclosing groups, outermost first. */
  readonly prefixes: readonly string[];
  /** Router, group (outermost first) and route middleware, in run order. */
  readonly middleware: readonly MiddlewareClass[];
  readonly options: Readonly<TopicOptions>;
  readonly handler: RouteHandler | BatchHandlerFn;
  /** `file:line:column` of the `on()` call, for boot errors. */
  readonly declaredAt?: string;
}

/**
 * Where routes are declared: a `Router`, or the group object a `group()` callback receives.
 *
 * @example
 * ```ts
 * function deviceRoutes(r: RouteRegistrar) { r.on('{device_id}/ping', ping); }
 * router.group('devices', deviceRoutes);
 * ```
 */
export interface RouteRegistrar {
  /** Adds a batch route: a function handler receives the items of each batch (docs/batching.md). */
  on(template: string, handler: BatchHandlerFn, options: BatchRouteOptions): this;
  /** Adds a route. A function handler receives `(ctx)`; `[Controller, 'method']` names a method. */
  on<T>(template: string, handler: RouteHandler<T>, options?: RouterRouteOptions): this;
  /** Defines routes that share a prefix (a string is the prefix alone) and middleware. */
  group(options: RouterGroupOptions | string, define: (group: RouteRegistrar) => void): this;
}
