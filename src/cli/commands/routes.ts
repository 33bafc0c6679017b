import type { Command } from 'commander';
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
export function runRoutes(entry: string | undefined, options: RoutesOptions, io: CliIo): void {
  const rootModule = loadRootModule(resolveEntry(entry, io.cwd), options.module);
  const inspection = inspectRoutes(rootModule, io.env);
  if (options.json) {
    const { routes, overlaps, sharedSubscriptions, jobs } = inspection;
    io.out(JSON.stringify({ routes, overlaps, sharedSubscriptions, jobs }, null, 2));
    return;
  }
  io.out(formatRouteTable(inspection));
}

/** Registers the command on the program. */
export function routesCommand(program: Command, io: CliIo): void {
  program
    .command('routes')
    .description('print the route table and any conflicts or overlaps')
    .argument(
      '[entry]',
      'compiled entry exporting the root module (default: package.json "main", else dist/main.js)',
    )
    .option('--json', 'print JSON instead of a table')
    .option('-m, --module <name>', 'the exported @Module to use when the entry exports several')
    .action((entry: string | undefined, options: RoutesOptions) => runRoutes(entry, options, io));
}
