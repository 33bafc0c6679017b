import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The folder of RouteMQ's own package.json, found by walking up from this file (it is `src/cli` in a
 * checkout, `dist/lib/cli` when installed), so templates and the version are found either way.
 *
 * @example
 * ```ts
 * join(packageRoot(), 'templates/new'); // the `routemq new` scaffold
 * ```
 */
export function packageRoot(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && readManifest(manifest).name === 'routemq') return dir;
  }
  throw new Error(`routemq's package.json was not found above ${__dirname}`);
}

/** RouteMQ's own package.json. */
export function ownManifest(): PackageManifest {
  return readManifest(join(packageRoot(), 'package.json'));
}

/** The package.json fields the CLI reads. */
export interface PackageManifest {
  readonly name?: string;
  readonly version?: string;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
}

function readManifest(file: string): PackageManifest {
  return JSON.parse(readFileSync(file, 'utf8')) as PackageManifest;
}
