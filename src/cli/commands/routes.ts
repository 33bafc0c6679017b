import { loadRootModule, resolveEntry } from '../entry';
import { inspectRoutes } from '../route-inspection';
import { formatRouteTable } from '../route-table-format';
import type { CliIo } from '../io';

/** Options of `routemq routes`. */
export interface RoutesOptions {
  json?: boolean;
  module?: string;
}

/**
 * `routemq routes [entry]`: prints the route table (template, broker filter, QoS, share group,
 * workers, middleware chain, handler) and every conflict or overlap; `--json` for machines.
 *
 * @example
 * ```ts
 * runRoutes('dist/main.js', { json: true }, io);
 * ```
 */
export async function runRoutes(entry: string | undefined, options: RoutesOptions, io: CliIo): Promise<void> {
  const rootModule = await loadRootModule(resolveEntry(entry, io.cwd), options.module);
  const inspection = inspectRoutes(rootModule, io.env);
  if (options.json) {
    const { routes, overlaps, sharedSubscriptions, jobs } = inspection;
    io.out(JSON.stringify({ routes, overlaps, sharedSubscriptions, jobs }, null, 2));
    return;
  }
  io.out(formatRouteTable(inspection));
}
