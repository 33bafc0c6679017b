import { ConfigError } from '../errors';
import type { MiddlewareClass } from '../pipeline/middleware';
import { joinTemplate, parseTemplate } from '../routing/topic-template';
import type { RouteDefinition } from './route-definition';
import { paramProblems, parseReplyTemplate, topicOptionProblems } from './route-options-check';
import { findControllerArgs } from './store';
import type { Class, ControllerArgs, RouteArgs } from './types';

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
export function scanControllers(inputs: readonly ScanInput[], options: ScanOptions): RouteDefinition[] {
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
      const result = scanRoute(input, args, route, options);
      if ('problems' in result) problems.push(...result.problems);
      else routes.push(result.route);
    }
  }
  if (problems.length > 0) throw new ConfigError('ERR_ROUTE_INVALID', problems, 'Invalid routes');
  return routes;
}

type ScanResult = { route: RouteDefinition } | { problems: string[] };

function scanRoute(
  input: ScanInput,
  args: ControllerArgs,
  route: RouteArgs,
  options: ScanOptions,
): ScanResult {
  const controller = input.controller;
  const handlerName = `${controller.name}.${route.method}`;
  const template = joinTemplate(args.prefix, route.template);
  const where = `${handlerName} @Topic('${route.template}')${args.prefix ? ` with prefix '${args.prefix}'` : ''}`;
  const parsed = parseTemplate(template);
  if (!parsed.ok) return { problems: parsed.errors.map((e) => `${where}: template '${template}': ${e}`) };
  const compiled = parsed.compiled;
  const problems = topicOptionProblems(route.options);
  const method: unknown = (controller.prototype as Record<string, unknown>)[route.method];
  if (typeof method !== 'function') problems.push(`${route.method} is not a method`);
  const params = [...(args.params.get(route.method) ?? [])].sort((a, b) => a.index - b.index);
  const arity = typeof method === 'function' ? method.length : 0;
  problems.push(...paramProblems(params, compiled, arity));
  const reply =
    route.options.reply === undefined ? undefined : parseReplyTemplate(route.options.reply, compiled);
  if (reply) problems.push(...reply.problems);
  if (problems.length > 0) return { problems: problems.map((p) => `${where}: ${p}`) };
  const shared = route.options.shared === true;
  return {
    route: {
      controller,
      method: route.method,
      handlerName,
      compiled,
      qos: route.options.qos ?? 0,
      shared,
      group: shared ? (route.options.group ?? options.defaultGroup) : undefined,
      workers: shared ? (route.options.workers ?? options.defaultWorkers) : 1,
      reply: reply?.compiled,
      middleware: [
        ...input.middleware,
        ...args.middleware,
        ...(args.methodMiddleware.get(route.method) ?? []),
      ],
      params,
      options: route.options,
    },
  };
}
