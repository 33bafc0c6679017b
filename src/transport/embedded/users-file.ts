/**
 * The embedded broker's users file (EMBEDDED_BROKER_USERS): one `user:hash` line per device account,
 * like Mosquitto's password_file, with bcrypt or scrypt hashes (see password-hash.ts). Blank lines and
 * lines starting with `#` are ignored.
 * @module
 */
import { hashProblem } from './password-hash';

/** Parsed users: the hash of each user name. */
export type UsersTable = ReadonlyMap<string, string>;

/** A parse result: the users, or every problem found, each naming its line. */
export type UsersParse = { readonly users: UsersTable } | { readonly problems: readonly string[] };

/**
 * Parses the text of a users file. Problems name the file and line, never a hash.
 *
 * @example
 * ```ts
 * const parsed = parseUsersFile('alice:$2b$10$...', 'users.txt');
 * if ('problems' in parsed) throw new Error(parsed.problems.join('\n'));
 * ```
 */
export function parseUsersFile(text: string, source: string): UsersParse {
  const users = new Map<string, string>();
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const where = `${source} line ${index + 1}`;
    const colon = line.indexOf(':');
    if (colon <= 0) {
      problems.push(`${where}: expected user:hash`);
      return;
    }
    const user = line.slice(0, colon);
    const problem = hashProblem(line.slice(colon + 1));
    if (problem) problems.push(`${where}: the hash of ${JSON.stringify(user)} ${problem}`);
    else if (users.has(user)) problems.push(`${where}: ${JSON.stringify(user)} is listed twice`);
    else users.set(user, line.slice(colon + 1));
  });
  if (problems.length > 0) return { problems };
  if (users.size === 0) return { problems: [`${source}: holds no user:hash line`] };
  return { users };
}

/**
 * Adds or replaces one user's line, keeping every other line (comments included) as it was.
 *
 * @example
 * ```ts
 * const text = withUser('', 'alice', await hashPassword('s3cret')); // 'alice:$scrypt$...\n'
 * ```
 */
export function withUser(text: string, user: string, hash: string): string {
  const lines = text === '' ? [] : text.replace(/\r?\n$/, '').split(/\r?\n/);
  const entry = `${user}:${hash}`;
  const at = lines.findIndex((line) => line.trim().startsWith(`${user}:`));
  if (at >= 0) lines[at] = entry;
  else lines.push(entry);
  return `${lines.join('\n')}\n`;
}

/** Why a user name cannot be written to a users file, or undefined. */
export function userNameProblem(user: string): string | undefined {
  if (user === '') return 'the user name is empty';
  if (user.includes(':')) return 'a user name cannot hold ":" (the file separates user and hash with it)';
  if (/[\s#]/.test(user[0]) || /\s/.test(user)) return 'a user name cannot hold spaces or start with #';
  return undefined;
}
