import type { CliCommand } from '../command';
import type { DevOptions } from './dev';

type Implementation = typeof import('./dev');
// Required when the command runs, not when the CLI starts: each command loads only what it uses.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const load = (): Implementation => require('./dev') as Implementation;

/** `routemq dev`: its arguments and options; the work is in ./dev.ts. */
export const devCommand: CliCommand = {
  register(program, io) {
    program
      .command('dev')
      .description('build in watch mode and restart the app on every change (drained first)')
      .argument('[entry]', 'compiled entry to run (default: package.json "main", else dist/main.js)')
      .option('-p, --project <tsconfig>', 'TypeScript project to watch', 'tsconfig.json')
      .option('--no-build', 'do not compile: restart when files next to the entry change')
      .action(async (entry: string | undefined, options: DevOptions) => {
        const stop = new AbortController();
        for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());
        await load().runDev(entry, options, io, stop.signal);
      });
  },
};
