import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

/** File name of the default database inside DATA_DIR. */
export const DEFAULT_SQLITE_FILE = 'routemq.sqlite';

/**
 * The SQLite file to use: the path of a `sqlite:` DATABASE_URL (`sqlite:./var/app.db`,
 * `sqlite:///srv/app.db`, `sqlite::memory:`), else `<DATA_DIR>/routemq.sqlite`. Relative paths are
 * taken from the working directory.
 *
 * @example
 * ```ts
 * sqliteFileOf(undefined, './data'); // '/srv/app/data/routemq.sqlite'
 * ```
 */
export function sqliteFileOf(databaseUrl: string | undefined, dataDir: string): string {
  if (databaseUrl === undefined) return join(resolve(dataDir), DEFAULT_SQLITE_FILE);
  const path = decodeURIComponent(databaseUrl.replace(/^sqlite:(\/\/)?/i, ''));
  return path === ':memory:' ? path : resolve(path);
}

/**
 * Creates the folder of the SQLite file (better-sqlite3 creates the file, not its folders).
 *
 * @example
 * ```ts
 * await ensureSqliteFolder('/srv/app/data/routemq.sqlite');
 * ```
 */
export async function ensureSqliteFolder(file: string): Promise<void> {
  if (file === ':memory:') return;
  await mkdir(dirname(file), { recursive: true });
}
