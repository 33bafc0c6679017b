import type { CliCommand } from '../command';
import type { ConsoleOptions } from './console';

type Implementation = typeof import('./console');
// Required when the command runs, not when the CLI starts: each command loads only what it uses.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const load = (): Implementation => require('./console') as Implementation;

/** `routemq console`: its arguments and options; the work is in ./console.ts. */
export const consoleCommand: CliCommand = {
  register(program, io) {
    program
      .command('console')
      .description("open a REPL inside the app's container (nothing subscribed): resolve, publish, redis, db")
      .argument(
        '[entry]',
        'compiled entry exporting the root module (default: package.json "main", else dist/main.js)',
      )
      .option('-m, --module <name>', 'the exported @Module to use when the entry exports several')
      .action((entry: string | undefined, options: ConsoleOptions) =>
        load().runConsole(entry, options, io, { input: process.stdin, output: process.stdout }),
      );
  },
};
