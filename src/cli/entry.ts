import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isModuleClass } from '../app/module';
import { ConfigError } from '../errors';
import type { Class } from '../metadata/types';

/** Set while the CLI loads an entry, so that an entry can tell it is being inspected, not run. */
export const CLI_VARIABLE = 'ROUTEMQ_CLI';

const HEADING = 'Cannot load the app';

/**
 * The compiled entry a command works on: the argument, else `main` of the project's package.json,
 * else `dist/main.js`.
 *
 * @example
 * ```ts
 * resolveEntry(undefined, '/work/app'); // '/work/app/dist/src/main.js' (package.json "main")
 * ```
 */
export function resolveEntry(entry: string | undefined, cwd: string): string {
  if (entry) return resolve(cwd, entry);
  const manifest = resolve(cwd, 'package.json');
  if (existsSync(manifest)) {
    const main = (JSON.parse(readFileSync(manifest, 'utf8')) as { main?: unknown }).main;
    if (typeof main === 'string') return resolve(cwd, main);
  }
  return resolve(cwd, 'dist/main.js');
}

/**
 * Loads an entry and returns its root module: the default export, else the export named `AppModule`,
 * else the one exported `@Module` class (`moduleName` picks one when there are several). The entry must
 * not start the app when imported: guard the start with `if (require.main === module)` (docs/cli.md).
 *
 * @example
 * ```ts
 * const AppModule = loadRootModule('/work/app/dist/src/main.js');
 * ```
 */
export function loadRootModule(file: string, moduleName?: string): Class {
  if (!existsSync(file)) {
    throw new ConfigError(
      'ERR_MODULE_INVALID',
      [
        `${file} does not exist: build the app first (npm run build), or name the compiled entry: routemq routes dist/main.js`,
      ],
      HEADING,
    );
  }
  process.env[CLI_VARIABLE] = '1';
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- entries are CommonJS, loaded synchronously
  const exported = require(file) as Record<string, unknown>;
  const modules = Object.entries(exported ?? {}).filter(([, value]) => isModuleClass(value)) as [
    string,
    Class,
  ][];
  const pick = moduleName
    ? modules.find(([name, value]) => name === moduleName || value.name === moduleName)
    : (modules.find(([name]) => name === 'default') ??
      modules.find(([name]) => name === 'AppModule') ??
      (modules.length === 1 ? modules[0] : undefined));
  if (pick) return pick[1];
  const found =
    modules.length > 0
      ? `it exports ${modules.map(([n]) => n).join(', ')}: choose one with --module <name>`
      : 'it exports no @Module class';
  throw new ConfigError(
    'ERR_MODULE_INVALID',
    [
      `${file}: ${moduleName ? `no exported @Module named ${moduleName}; ` : ''}${found}. Export your root module from the entry (export { AppModule }) and start the app only when run directly (if (require.main === module) ...), or point the command at the module file (routemq routes dist/app.module.js).`,
    ],
    HEADING,
  );
}
