import type { DependencyContainer, InjectionToken } from 'tsyringe';
import { ConfigError, RouteMQError } from '../errors';
import type { RouteDefinition } from '../metadata/route-definition';
import type { Class, ParamArgs } from '../metadata/types';
import { buildChain, type BoundHandler, type ExecutableRoute } from '../pipeline/executable-route';
import type { ArgumentSpec } from '../pipeline/handler-arguments';
import type { Middleware } from '../pipeline/middleware';
import { renderTopic } from '../routing/topic-render';
import { missingIntegrationHint } from '../integrations/missing-integration-hint';
import { batchExecutable, batchWindowOf } from './batch-binding';
import type { DtoValidationReport } from '../validation/compiled-validator';
import { payloadConverterFor } from './payload-converter';
import type { AppConfig } from './config';
import { routePolicyOf, type PolicyDefaults } from './route-policy';

/** Configuration the binding uses: policy defaults, the in-flight window, in-process workers. */
export type BindingDefaults = PolicyDefaults &
  Pick<AppConfig, 'receiveMaximum' | 'maxHeldMessages' | 'maxHeldBytes'> & {
    readonly workersInProcess?: boolean;
  };

/**
 * Resolves every controller and middleware once from the container and builds each route's chain.
 * Every class that cannot be built is reported in one ConfigError (ERR_DEPENDENCY_UNRESOLVED).
 * `onDto` hears how each DTO route validates (compiled or class-validator), for the start log.
 */
export function bindRoutes(
  routes: readonly RouteDefinition[],
  container: DependencyContainer,
  defaults: BindingDefaults,
  onDto?: (report: DtoValidationReport) => void,
): ExecutableRoute[] {
  const instances = new Map<Class, unknown>();
  const problems: string[] = [];
  const instanceOf = (cls: Class, usedBy: string): unknown => {
    if (!instances.has(cls)) instances.set(cls, construct(container, cls, usedBy, problems));
    return instances.get(cls);
  };
  const middlewareOf = (cls: Class, usedBy: string): Middleware => {
    const instance = instanceOf(cls, usedBy) as Partial<Middleware> | undefined;
    if (instance && typeof instance.handle !== 'function') {
      problems.push(
        `${cls.name} (middleware of ${usedBy}) has no handle(ctx, next) method: implement Middleware`,
      );
    }
    return instance as Middleware;
  };
  const bound = routes.map((route) => {
    const controller = instanceOf(route.controller, route.handlerName) as Record<string, BoundHandler>;
    const middleware = route.middleware.map((m) => middlewareOf(m, route.handlerName));
    return { route, controller, middleware };
  });
  if (problems.length > 0) {
    throw new ConfigError('ERR_DEPENDENCY_UNRESOLVED', [...new Set(problems)], 'Cannot build the app');
  }
  return bound.map(({ route, controller, middleware }) =>
    executable(route, controller, middleware, defaults, onDto),
  );
}

/** Resolves `cls` from the container, or adds a problem naming it, its user and the fix. */
export function construct(
  container: DependencyContainer,
  cls: Class,
  usedBy: string,
  problems: string[],
): unknown {
  try {
    return container.resolve(cls as unknown as InjectionToken<object>);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const typeInfo = /TypeInfo not known for "([^"]*)"/.exec(reason)?.[1];
    const fix =
      missingIntegrationHint(reason) ??
      (typeInfo
        ? `${typeInfo} has constructor parameters the container cannot see: add @injectable() above it, and @inject(Token) on each parameter when compiling without decorator metadata (docs/toolchains.md).`
        : `register the missing provider in a module's providers, or set the variable its integration needs.`);
    problems.push(`${cls.name} (used by ${usedBy}) cannot be constructed: ${reason}\n    Fix: ${fix}`);
    return undefined;
  }
}

function executable(
  route: RouteDefinition,
  controller: Record<string, BoundHandler>,
  middleware: Middleware[],
  defaults: BindingDefaults,
  onDto: ((report: DtoValidationReport) => void) | undefined,
): ExecutableRoute {
  const handler = controller[route.method].bind(controller) as BoundHandler;
  const policy = routePolicyOf(route, defaults, defaults.workersInProcess);
  if (route.options.batch)
    return batchExecutable(route, handler, middleware, policy, batchWindowOf(defaults));
  const reply = route.reply;
  const bound: ExecutableRoute = {
    info: { template: route.compiled.template, filter: route.compiled.filter, handler: route.handlerName },
    qos: route.qos,
    replyTopic: reply ? (params) => renderTopic(reply, params) : undefined,
    run: buildChain(
      middleware,
      handler,
      route.params.map((param) => argumentSpec(param, route, onDto)),
    ),
    ...policy,
  };
  return bound;
}

function argumentSpec(
  param: ParamArgs,
  route: RouteDefinition,
  onDto: ((report: DtoValidationReport) => void) | undefined,
): ArgumentSpec {
  if (param.kind === 'payload') {
    const convert = payloadConverterFor(param.type, route.options.validation, route.handlerName, onDto);
    return { kind: 'payload', convert };
  }
  if (param.kind === 'batch') {
    // The scanner refuses @Batch() on a route without `batch`; this guards against a bypass.
    throw new RouteMQError(
      'ERR_ROUTE_INVALID',
      `${route.handlerName}: @Batch() needs the route's batch option`,
    );
  }
  return param;
}
