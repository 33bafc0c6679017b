import type { FlatModule } from './module';
import type { RouteDefinition } from '../metadata/route-definition';
import { scanControllers, type ScanOptions } from '../metadata/scanner';
import type { MiddlewareClass } from '../pipeline/middleware';
import { routerRouteSources } from '../router/router-sources';

/**
 * Scans every route of a flattened module graph, decorated controllers and routers alike, in one pass
 * (one ConfigError lists every problem). createApp and the CLI (`routemq routes`, `routemq asyncapi`)
 * both call it, so they cannot disagree about the route table.
 *
 * @example
 * ```ts
 * const routes = scanModuleRoutes(flattenModule(AppModule), [], { defaultGroup: 'routemq', defaultWorkers: 1 });
 * ```
 */
export function scanModuleRoutes(
  flat: FlatModule,
  appMiddleware: readonly MiddlewareClass[],
  options: ScanOptions,
): RouteDefinition[] {
  return scanControllers(
    flat.controllers.map((c) => ({
      controller: c.controller,
      middleware: [...appMiddleware, ...c.moduleMiddleware],
    })),
    options,
    routerRouteSources(
      flat.routers.map((r) => ({ router: r.router, middleware: [...appMiddleware, ...r.moduleMiddleware] })),
    ),
  );
}
