import type { CliCommand } from '../command';
import type { AsyncApiOptions } from './asyncapi';

type Implementation = typeof import('./asyncapi');
// Required when the command runs, not when the CLI starts: each command loads only what it uses.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const load = (): Implementation => require('./asyncapi') as Implementation;

/** `routemq asyncapi`: its arguments and options; the work is in ./asyncapi.ts. */
export const asyncApiCommand: CliCommand = {
  register(program, io) {
    program
      .command('asyncapi')
      .description('write the AsyncAPI 3.0 document of the route table')
      .argument(
        '[entry]',
        'compiled entry exporting the root module (default: package.json "main", else dist/main.js)',
      )
      .option('-o, --output <file>', 'write to this file instead of stdout')
      .option('--title <title>', 'info.title (default: package.json name)')
      .option('--doc-version <version>', 'info.version (default: package.json version)')
      .option('-m, --module <name>', 'the exported @Module to use when the entry exports several')
      .action((entry: string | undefined, options: AsyncApiOptions & { docVersion?: string }) =>
        load().runAsyncApi(entry, { ...options, version: options.docVersion }, io),
      );
  },
};
