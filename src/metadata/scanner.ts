import { ConfigError } from '../errors';
import type { MiddlewareClass } from '../pipeline/middleware';
import { joinTemplate, parseTemplate } from '../routing/topic-template';
import type { RouteDefinition } from './route-definition';
import { batchProblems } from './batch-options-check';
import { paramProblems, parseReplyTemplate, topicOptionProblems } from './route-options-check';
import { findControllerArgs } from './store';
import type { Class, ControllerArgs, ParamArgs, RouteArgs, TopicOptions } from './types';

/** A controller to scan, with the middleware that applies before its own (app-wide, then module). */
export interface ScanInput {
  readonly controller: Class;
  readonly middleware: readonly MiddlewareClass[];
}

/** Scanner settings that come from configuration. */
export interface ScanOptions {
  /** Share group of shared routes without their own `group` (MQTT_GROUP_NAME). */
  readonly defaultGroup: string;
  /** Workers of shared routes without their own `workers` (WORKER_COUNT). */
  readonly defaultWorkers: number;
}

/**
 * Turns decorated controllers into checked route definitions. Every problem of every route is
 * collected and thrown as one ConfigError, so a boot shows them all, each naming controller, method
 * and template.
 *
 * @example
 * ```ts
 * const routes = scanControllers([{ controller: SensorController, middleware: [] }], options);
 * ```
 */
export function scanControllers(
  inputs: readonly ScanInput[],
  options: ScanOptions,
  routerRoutes: readonly RouteSource[] = [],
): RouteDefinition[] {
  const problems: string[] = [];
  const routes: RouteDefinition[] = [];
  const seen = new Set<Class>();
  for (const input of inputs) {
    if (seen.has(input.controller)) continue;
    seen.add(input.controller);
    const args = findControllerArgs(input.controller);
    if (!args?.isController) {
      problems.push(
        `${input.controller.name || 'an anonymous class'} is listed as a controller but has no @Controller() decorator`,
      );
      continue;
    }
    for (const route of args.routes) {
      const result = scanRoute(decoratedSource(input, args, route), options);
      if ('problems' in result) problems.push(...result.problems);
      else routes.push(result.route);
    }
  }
  // Router routes go through the same checks, so both styles fail at boot the same way.
  for (const source of routerRoutes) {
    const result = scanRoute(source, options);
    if ('problems' in result) problems.push(...result.problems);
    else routes.push(result.route);
  }
  if (problems.length > 0) throw new ConfigError('ERR_ROUTE_INVALID', problems, 'Invalid routes');
  return routes;
}

/**
 * One route to check, whatever declared it: a `@Topic` method, or a `Router` route (src/router).
 * `where` names it in boot errors.
 */
export interface RouteSource {
  readonly controller: Class;
  readonly method: string;
  /** `ControllerName.method` (or the router's name for a function handler), for logs and errors. */
  readonly handlerName: string;
  /** Joined in front of `template` (controller prefix, or router group prefixes). */
  readonly prefix?: string;
  readonly template: string;
  readonly options: TopicOptions;
  /** Middleware in run order. */
  readonly middleware: readonly MiddlewareClass[];
  readonly params: readonly ParamArgs[];
  /** How boot errors name the route, e.g. `Sensors.data @Topic('{id}/data') with prefix 'sensors'`. */
  readonly where: string;
}

type ScanResult = { route: RouteDefinition } | { problems: string[] };

function decoratedSource(input: ScanInput, args: ControllerArgs, route: RouteArgs): RouteSource {
  const handlerName = `${input.controller.name}.${route.method}`;
  return {
    controller: input.controller,
    method: route.method,
    handlerName,
    prefix: args.prefix,
    template: route.template,
    options: route.options,
    middleware: [...input.middleware, ...args.middleware, ...(args.methodMiddleware.get(route.method) ?? [])],
    params: args.params.get(route.method) ?? [],
    where: `${handlerName} @Topic('${route.template}')${args.prefix ? ` with prefix '${args.prefix}'` : ''}`,
  };
}

function scanRoute(source: RouteSource, options: ScanOptions): ScanResult {
  const { controller, handlerName, where, options: routeOptions } = source;
  const template = joinTemplate(source.prefix, source.template);
  const parsed = parseTemplate(template);
  if (!parsed.ok) return { problems: parsed.errors.map((e) => `${where}: template '${template}': ${e}`) };
  const compiled = parsed.compiled;
  const problems = topicOptionProblems(routeOptions);
  const method: unknown = (controller.prototype as Record<string, unknown>)[source.method];
  if (typeof method !== 'function') problems.push(`${source.method} is not a method`);
  const params = [...source.params].sort((a, b) => a.index - b.index);
  const arity = typeof method === 'function' ? method.length : 0;
  problems.push(...paramProblems(params, compiled, arity), ...batchProblems(routeOptions, params));
  const reply =
    routeOptions.reply === undefined ? undefined : parseReplyTemplate(routeOptions.reply, compiled);
  if (reply) problems.push(...reply.problems);
  if (problems.length > 0) return { problems: problems.map((p) => `${where}: ${p}`) };
  const shared = routeOptions.shared === true;
  return {
    route: {
      controller,
      method: source.method,
      handlerName,
      compiled,
      qos: routeOptions.qos ?? 0,
      shared,
      group: shared ? (routeOptions.group ?? options.defaultGroup) : undefined,
      workers: shared ? (routeOptions.workers ?? options.defaultWorkers) : 1,
      reply: reply?.compiled,
      middleware: source.middleware,
      params,
      options: routeOptions,
    },
  };
}
