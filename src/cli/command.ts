import type { Command } from 'commander';
import type { CliIo } from './io';

/**
 * One `routemq` command: `register` declares its name, arguments and options on the program, and
 * loads its implementation only when it runs (so `routemq new` does not load the app's libraries).
 * The list of commands is src/cli/main.ts.
 *
 * @example
 * ```ts
 * export const helloCommand: CliCommand = {
 *   register(program, io) {
 *     program.command('hello').action(() => io.out('hello'));
 *   },
 * };
 * ```
 */
export interface CliCommand {
  register(program: Command, io: CliIo): void;
}
