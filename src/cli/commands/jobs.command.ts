import type { Command } from 'commander';
import type { CliCommand } from '../command';
import type { JobStoreOptions } from '../jobs/job-store';
import type { ListOptions } from './jobs';

type Implementation = typeof import('./jobs');
// Required when the command runs, not when the CLI starts: each command loads only what it uses.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const load = (): Implementation => require('./jobs') as Implementation;

/** `routemq jobs failed|show|retry|remove|clean`: options here, the work in ./jobs.ts (docs/jobs.md). */
export const jobsCommand: CliCommand = {
  register(program, io) {
    const jobs = program.command('jobs').description('inspect and handle stored jobs (needs REDIS_URL)');
    const withStore = (command: Command) =>
      command
        .option('-q, --queue <name...>', 'queue(s) to work on (default: every queue of the app)')
        .option(
          '-e, --entry <file>',
          'compiled entry exporting the root module (default: package.json "main")',
        )
        .option('-m, --module <name>', 'the exported @Module to use when the entry exports several');
    withStore(jobs.command('failed'))
      .description('list the failed jobs')
      .option('--limit <n>', 'most jobs listed per queue', '50')
      .option('--json', 'print JSON')
      .action((options: ListOptions) => load().jobsFailed(options, io));
    withStore(jobs.command('show <id>'))
      .description('print one job: data, state, attempts, error and stack')
      .option('--json', 'print JSON')
      .action((id: string, options: ListOptions) => load().jobsShow(id, options, io));
    withStore(jobs.command('retry [id]'))
      .description('run a failed job again (or every failed job with --all)')
      .option('--all', 'retry every failed job of the queue(s)')
      .action((id: string | undefined, options: JobStoreOptions & { all?: boolean }) =>
        load().jobsRetry(id, options, io),
      );
    withStore(jobs.command('remove <id>'))
      .description('delete a job')
      .action((id: string, options: JobStoreOptions) => load().jobsRemove(id, options, io));
    withStore(jobs.command('clean'))
      .description('delete jobs of a state (only --failed for now)')
      .requiredOption('--failed', 'delete every failed job')
      .action((options: JobStoreOptions) => load().jobsClean(options, io));
  },
};
