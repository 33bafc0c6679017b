import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

/**
 * Loads `.env` from the working directory into `process.env` without overriding variables already set
 * (the shell wins over the file, as with `process.loadEnvFile`), then returns `process.env`. The
 * app's own settings (ALERT_THRESHOLD in the example) see the file too.
 */
export function readEnvironment(cwd: string = process.cwd()): Record<string, string | undefined> {
  const file = join(cwd, '.env');
  if (existsSync(file)) {
    for (const [key, value] of Object.entries(parseEnv(readFileSync(file, 'utf8')))) {
      if (process.env[key] === undefined) process.env[key] = value;
    }
  }
  return process.env;
}
