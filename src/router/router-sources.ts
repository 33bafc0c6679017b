import { relative } from 'node:path';
import type { RouteSource } from '../metadata/scanner';
import { findControllerArgs } from '../metadata/store';
import type { Class } from '../metadata/types';
import type { BatchItem } from '../batch/batch-item';
import type { MessageContext } from '../pipeline/message-context';
import type { MiddlewareClass } from '../pipeline/middleware';
import { joinTemplate } from '../routing/topic-template';
import type { Router } from './router';
import type { BatchHandlerFn, ControllerMethod, RouteHandlerFn, RouterRoute } from './router-types';

/** A router with the middleware that runs before its own (app-wide, then its module's). */
export interface RouterInput {
  readonly router: Router;
  readonly middleware: readonly MiddlewareClass[];
}

/**
 * Turns router routes into the scanner's route sources, so that routers and decorators end up as the
 * same RouteDefinitions (one trie, one set of checks). A function handler becomes a small class whose
 * `handle(ctx)` calls it: the pipeline only knows controllers and methods.
 *
 * @example
 * ```ts
 * const sources = routerRouteSources([{ router, middleware: [] }]);
 * scanControllers([], scanOptions, sources);
 * ```
 */
export function routerRouteSources(inputs: readonly RouterInput[]): RouteSource[] {
  return inputs.flatMap(({ router, middleware }) =>
    router.routes.map((route) => sourceOf(router, route, middleware)),
  );
}

function sourceOf(router: Router, route: RouterRoute, outer: readonly MiddlewareClass[]): RouteSource {
  const prefix = route.prefixes.reduce<string | undefined>((joined, p) => joinTemplate(joined, p), undefined);
  const full = joinTemplate(prefix, route.template);
  const target = targetOf(router, route, full);
  const group = prefix ? ` in group '${prefix}'` : '';
  const at = route.declaredAt ? ` at ${relative(process.cwd(), route.declaredAt)}` : '';
  return {
    ...target,
    prefix,
    template: route.template,
    options: route.options,
    middleware: [...outer, ...route.middleware, ...target.ownMiddleware],
    where: `${router.name}.on('${route.template}')${group} -> ${target.handlerName}${at}`,
  };
}

interface Target {
  readonly controller: Class;
  readonly method: string;
  readonly handlerName: string;
  readonly params: RouteSource['params'];
  /** `@UseMiddleware` written on the controller class and method. */
  readonly ownMiddleware: readonly MiddlewareClass[];
}

function targetOf(router: Router, route: RouterRoute, template: string): Target {
  const { handler } = route;
  if (isControllerMethod(handler)) {
    const [controller, method] = handler;
    const args = findControllerArgs(controller);
    return {
      controller,
      method,
      handlerName: `${controller.name}.${method}`,
      params: args?.params.get(method) ?? [],
      ownMiddleware: [...(args?.middleware ?? []), ...(args?.methodMiddleware.get(method) ?? [])],
    };
  }
  const handlerName = `${router.name}:${typeof handler === 'function' && handler.name ? handler.name : `on('${template}')`}`;
  if (typeof handler !== 'function') {
    // Not a function nor [Controller, 'method'] (plain JavaScript): the scanner reports the missing method.
    return { controller: class {}, method: 'handler', handlerName, params: [], ownMiddleware: [] };
  }
  return {
    controller: functionRoute(handler, handlerName),
    method: 'handle',
    handlerName,
    params: [],
    ownMiddleware: [],
  };
}

const wrappers = new WeakMap<RouteHandlerFn | BatchHandlerFn, Map<string, Class>>();

/**
 * A class whose `handle(ctx)` calls the function (`handle(items)` on a batch route); named after the
 * route for logs and errors.
 */
function functionRoute(fn: RouteHandlerFn | BatchHandlerFn, name: string): Class {
  let byName = wrappers.get(fn);
  if (!byName) wrappers.set(fn, (byName = new Map()));
  let wrapper = byName.get(name);
  if (!wrapper) {
    wrapper = class {
      handle(arg: MessageContext & BatchItem[]): unknown {
        return fn(arg);
      }
    };
    Object.defineProperty(wrapper, 'name', { value: name });
    byName.set(name, wrapper);
  }
  return wrapper;
}

function isControllerMethod(handler: unknown): handler is ControllerMethod {
  return (
    Array.isArray(handler) &&
    handler.length === 2 &&
    typeof handler[0] === 'function' &&
    typeof handler[1] === 'string'
  );
}
