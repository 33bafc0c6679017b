import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { RouteMQError } from '../../errors';
import { hashPassword } from '../../transport/embedded/password-hash';
import { userNameProblem, withUser } from '../../transport/embedded/users-file';
import type { CliIo } from '../io';

/**
 * `routemq broker passwd FILE USER`: adds or replaces USER in the embedded broker's users file
 * (EMBEDDED_BROKER_USERS) with a scrypt hash of the password read from stdin (typed without echo on a
 * terminal, or piped: `printf %s "$PW" | routemq broker passwd users.txt alice`). The file is written
 * with mode 0600.
 *
 * @example
 * ```ts
 * await runBrokerPasswd('users.txt', 'alice', 's3cret', io);
 * ```
 */
export async function runBrokerPasswd(
  file: string,
  user: string,
  password: string,
  io: CliIo,
): Promise<void> {
  const problem = userNameProblem(user);
  if (problem)
    throw new RouteMQError('ERR_CONFIG_INVALID', `Cannot add ${JSON.stringify(user)}: ${problem}.`);
  if (password === '')
    throw new RouteMQError('ERR_CONFIG_INVALID', 'The password is empty; give one on stdin.');
  const path = resolve(io.cwd, file);
  const before = existsSync(path) ? readFileSync(path, 'utf8') : '';
  writeFileSync(path, withUser(before, user, await hashPassword(password)), { mode: 0o600 });
  chmodSync(path, 0o600); // the mode above applies only to a new file
  io.out(
    `${before.includes(`${user}:`) ? 'updated' : 'added'} ${user} in ${file}; set EMBEDDED_BROKER_USERS=${file}`,
  );
}

/** The password from stdin: typed without echo on a terminal, else the piped text (one trailing newline dropped). */
export async function readPassword(io: CliIo): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks)
      .toString('utf8')
      .replace(/\r?\n$/, '');
  }
  io.err('Password: ');
  const silent = new Writable({ write: (_chunk, _encoding, callback) => callback() });
  const reader = createInterface({ input: process.stdin, output: silent, terminal: true });
  const line = await new Promise<string>((done) => reader.once('line', done));
  reader.close();
  return line;
}
