import type { CliCommand } from '../command';
import type { NewOptions } from './new';

type Implementation = typeof import('./new');
// Required when the command runs, not when the CLI starts: each command loads only what it uses.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const load = (): Implementation => require('./new') as Implementation;

/** `routemq new`: its arguments and options; the work is in ./new.ts. */
export const newCommand: CliCommand = {
  register(program, io) {
    program
      .command('new')
      .description('create a new RouteMQ project')
      .argument('<dir>', 'folder to create')
      .option('--routemq <spec>', 'the routemq dependency to write (default: this version)')
      .option('--force', 'write into a folder that is not empty')
      .action((dir: string, options: NewOptions) => load().runNew(dir, options, io));
  },
};
