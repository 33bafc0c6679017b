#!/usr/bin/env node
/**
 * The `routemq` executable (package.json `bin`) and its list of commands: one import and one line per
 * command. A command's module declares its options only; its implementation loads when it runs.
 * @module
 */
import 'reflect-metadata';
import type { CliCommand } from './command';
import { runCli } from './program';
import { asyncApiCommand } from './commands/asyncapi.command';
import { consoleCommand } from './commands/console.command';
import { devCommand } from './commands/dev.command';
import { newCommand } from './commands/new.command';
import { routesCommand } from './commands/routes.command';
import { workCommand } from './commands/work.command';
import { jobsCommand } from './commands/jobs.command';
import { brokerCommand } from './commands/broker-passwd.command';
import { deadLettersCommand } from './commands/dead-letters.command';

/** Every `routemq` command, in the order `routemq --help` lists them. */
export const COMMANDS: readonly CliCommand[] = [
  newCommand,
  routesCommand,
  devCommand,
  asyncApiCommand,
  consoleCommand,
  workCommand,
  jobsCommand,
  brokerCommand,
  deadLettersCommand,
];

if (require.main === module) {
  runCli(process.argv.slice(2), COMMANDS).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
