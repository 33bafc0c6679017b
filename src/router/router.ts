import { callerSite } from '../metadata/call-site';
import type { MiddlewareClass } from '../pipeline/middleware';
import type {
  BatchHandlerFn,
  BatchRouteOptions,
  RouteHandler,
  RouteRegistrar,
  RouterGroupOptions,
  RouterOptions,
  RouterRoute,
  RouterRouteOptions,
} from './router-types';

/**
 * Declares routes in code, the style of the Python RouteMQ: `on(template, handler, options)` and nested
 * `group({ prefix, middleware }, ...)`. Give routers to a module (`@Module({ routers: [router] })`): the
 * scanner checks their routes like `@Topic` ones, so they share the trie, middleware, retries and workers.
 *
 * @example
 * ```ts
 * const router = new Router();
 * router.on('sensors/{device_id}/data', (ctx) => ctx.logger.info('data'), { qos: 1 });
 * router.group({ prefix: 'devices', middleware: [Auth] }, (r) => {
 *   r.on('message/{device_id}', [DeviceController, 'message']);
 * });
 * ```
 */
export class Router implements RouteRegistrar {
  /** Shown in boot errors and in the handler names of function routes. */
  readonly name: string;
  readonly #routes: RouterRoute[] = [];
  readonly #root: Scope;

  constructor(options: RouterOptions = {}) {
    this.name = options.name ?? 'router';
    this.#root = new Scope(this.#routes, prefixesOf(options), [...(options.middleware ?? [])]);
  }

  /** The routes declared so far, in declaration order. */
  get routes(): readonly RouterRoute[] {
    return this.#routes;
  }

  on(template: string, handler: BatchHandlerFn, options: BatchRouteOptions): this;
  on<T>(template: string, handler: RouteHandler<T>, options?: RouterRouteOptions): this;
  on<T>(template: string, handler: RouteHandler<T> | BatchHandlerFn, options: RouterRouteOptions = {}): this {
    this.#root.add(template, handler as RouteHandler | BatchHandlerFn, options, callerSite());
    return this;
  }

  group(options: RouterGroupOptions | string, define: (group: RouteRegistrar) => void): this {
    this.#root.group(options, define);
    return this;
  }
}

/** The routes of one group: where `on()` adds them, with the group's prefixes and middleware. */
class Scope implements RouteRegistrar {
  constructor(
    private readonly sink: RouterRoute[],
    private readonly prefixes: readonly string[],
    private readonly middleware: readonly MiddlewareClass[],
  ) {}

  on(template: string, handler: BatchHandlerFn, options: BatchRouteOptions): this;
  on<T>(template: string, handler: RouteHandler<T>, options?: RouterRouteOptions): this;
  on<T>(template: string, handler: RouteHandler<T> | BatchHandlerFn, options: RouterRouteOptions = {}): this {
    this.add(template, handler as RouteHandler | BatchHandlerFn, options, callerSite());
    return this;
  }

  group(options: RouterGroupOptions | string, define: (group: RouteRegistrar) => void): this {
    const group = typeof options === 'string' ? { prefix: options } : options;
    const inner = new Scope(
      this.sink,
      [...this.prefixes, ...prefixesOf(group)],
      [...this.middleware, ...(group.middleware ?? [])],
    );
    define(inner);
    return this;
  }

  add(
    template: string,
    handler: RouteHandler | BatchHandlerFn,
    options: RouterRouteOptions,
    site: ReturnType<typeof callerSite>,
  ): void {
    const { middleware = [], ...topicOptions } = options;
    this.sink.push({
      template,
      prefixes: this.prefixes,
      middleware: [...this.middleware, ...middleware],
      options: topicOptions,
      handler,
      declaredAt: site && `${site.file}:${site.line}:${site.column}`,
    });
  }
}

function prefixesOf(options: RouterGroupOptions): string[] {
  return options.prefix === undefined ? [] : [options.prefix];
}
