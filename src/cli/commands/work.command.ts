import type { CliCommand } from '../command';
import type { WorkOptions } from './work';

type Implementation = typeof import('./work');
// Required when the command runs, not when the CLI starts: each command loads only what it uses.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const load = (): Implementation => require('./work') as Implementation;

/** `routemq work`: its arguments and options; the work is in ./work.ts. */
export const workCommand: CliCommand = {
  register(program, io) {
    program
      .command('work')
      .description('run job workers only (no MQTT subscriptions); needs REDIS_URL')
      .argument(
        '[entry]',
        'compiled entry exporting the root module (default: package.json "main", else dist/main.js)',
      )
      .option('-q, --queue <name...>', 'queues to work (default: every queue of the app)')
      .option('--max-jobs <n>', 'stop after n jobs finished (completed or failed for good)')
      .option('--max-time <seconds>', 'stop after this many seconds')
      .option('--workers <n>', 'run n worker processes, restarted when they exit', '1')
      .option('-m, --module <name>', 'the exported @Module to use when the entry exports several')
      .action((entry: string | undefined, options: WorkOptions) => load().runWork(entry, options, io));
  },
};
