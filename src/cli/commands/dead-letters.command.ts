import type { Command } from 'commander';
import type { CliCommand } from '../command';
import type { DeadLetterAction, DeadLetterCliOptions } from './dead-letters';

type Implementation = typeof import('./dead-letters');
// Required when the command runs, not when the CLI starts: each command loads only what it uses.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const load = (): Implementation => require('./dead-letters') as Implementation;

/** `routemq dead-letters list|show|replay|delete|stats`: options here, the work in ./dead-letters.ts. */
export const deadLettersCommand: CliCommand = {
  register(program, io) {
    const group = program
      .command('dead-letters')
      .description('list, show, replay and delete the dead letters the app kept (docs/reliability.md)');
    const run = (action: DeadLetterAction, id: string | undefined, options: DeadLetterCliOptions) =>
      load().runDeadLetters(action, id, options, io);
    const add = (name: DeadLetterAction, args: string, description: string) =>
      group
        .command(`${name}${args}`)
        .description(description)
        .option(
          '-e, --entry <file>',
          'compiled entry of the app (default: package.json "main", else dist/main.js)',
        )
        .option('--json', 'print JSON');
    const filters = (command: Command) =>
      command
        .option('--route <route>', 'only this route (Controller.method)')
        .option('--code <code>', 'only this error code')
        .option('--since <duration>', 'only those that failed within this duration (1h, 2d)');
    filters(add('list', '', 'list dead letters, newest first'))
      .option('--limit <n>', 'at most n (default 50)')
      .action((options: DeadLetterCliOptions) => run('list', undefined, options));
    add('show', ' <id>', 'show one dead letter whole').action((id: string, options: DeadLetterCliOptions) =>
      run('show', id, options),
    );
    filters(add('replay', ' [id]', 'publish dead letters again to their original topic'))
      .option('--all', 'every dead letter matching the filters')
      .option('--dry-run', 'say what would be replayed; publish nothing')
      .option('--force', 'replay also what was replayed before')
      .action((id: string | undefined, options: DeadLetterCliOptions) => run('replay', id, options));
    filters(add('delete', ' [id]', 'delete dead letters'))
      .option('--all', 'every dead letter matching the filters')
      .option('--older-than <duration>', 'only those that failed longer ago than this (30d)')
      .action((id: string | undefined, options: DeadLetterCliOptions) => run('delete', id, options));
    add('stats', '', 'count dead letters per route and error code').action((options: DeadLetterCliOptions) =>
      run('stats', undefined, options),
    );
  },
};
