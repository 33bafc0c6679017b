import { Command, CommanderError } from 'commander';
import { isRouteMQError } from '../errors';
import type { CliCommand } from './command';
import { ownManifest } from './package-root';
import { processIo, type CliIo } from './io';

/**
 * The `routemq` command line with the given commands (src/cli/main.ts lists them; docs/cli.md).
 *
 * @example
 * ```ts
 * await buildProgram(processIo(), COMMANDS).parseAsync(process.argv);
 * ```
 */
export function buildProgram(io: CliIo, commands: readonly CliCommand[]): Command {
  const program = new Command('routemq')
    .description('RouteMQ: a framework for MQTT back ends')
    .version(packageVersion(), '-v, --version')
    .showHelpAfterError()
    .configureOutput({
      writeOut: (text) => io.out(text.trimEnd()),
      writeErr: (text) => io.err(text.trimEnd()),
    });
  for (const command of commands) command.register(program, io);
  return program;
}

/**
 * Runs the command line and returns the exit code. RouteMQ errors are printed as their message (they are
 * written for people), anything else with its stack.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2), COMMANDS);
 * ```
 */
export async function runCli(
  args: readonly string[],
  commands: readonly CliCommand[],
  io: CliIo = processIo(),
): Promise<number> {
  const program = buildProgram(io, commands).exitOverride();
  try {
    await program.parseAsync([...args], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    io.err(
      isRouteMQError(error) ? `${error.code}: ${error.message}` : String((error as Error)?.stack ?? error),
    );
    return 1;
  }
}

function packageVersion(): string {
  return ownManifest().version ?? '0.0.0';
}
