import type { CliCommand } from '../command';
import type { RoutesOptions } from './routes';

type Implementation = typeof import('./routes');
// Required when the command runs, not when the CLI starts: each command loads only what it uses.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const load = (): Implementation => require('./routes') as Implementation;

/** `routemq routes`: its arguments and options; the work is in ./routes.ts. */
export const routesCommand: CliCommand = {
  register(program, io) {
    program
      .command('routes')
      .description('print the route table and any conflicts or overlaps')
      .argument(
        '[entry]',
        'compiled entry exporting the root module (default: package.json "main", else dist/main.js)',
      )
      .option('--json', 'print JSON instead of a table')
      .option('-m, --module <name>', 'the exported @Module to use when the entry exports several')
      .action((entry: string | undefined, options: RoutesOptions) => load().runRoutes(entry, options, io));
  },
};
