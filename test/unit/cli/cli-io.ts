import type { CliIo } from '../../../src/cli/io';

/** A CliIo that records what a command printed. */
export function recordingIo(
  cwd: string,
  env: Record<string, string | undefined> = {},
): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { cwd, env, stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}
