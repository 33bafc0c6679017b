import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inspecting } from '../app/cli-inspection';
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
 * else the one exported `@Module` class (`moduleName` picks one when there are several), else the module
 * the entry passed to createApp while loading. CommonJS entries are required; ES modules (including
 * ones with top-level await) are imported. While loading, `app.start()` does not connect (docs/cli.md).
 *
 * @example
 * ```ts
 * const AppModule = await loadRootModule('/work/app/dist/src/main.js');
 * ```
 */
export async function loadRootModule(file: string, moduleName?: string): Promise<Class> {
  if (!existsSync(file)) {
    throw new ConfigError(
      'ERR_MODULE_INVALID',
      [
        `${file} does not exist: build the app first (npm run build), or name the compiled entry: routemq routes dist/main.js`,
      ],
      HEADING,
    );
  }
  const previous = process.env[CLI_VARIABLE];
  process.env[CLI_VARIABLE] = '1';
  try {
    const { result, modules } = await inspecting(() => loadEntry(file));
    return pickModule(file, result, modules, moduleName);
  } finally {
    if (previous === undefined) delete process.env[CLI_VARIABLE];
    else process.env[CLI_VARIABLE] = previous;
  }
}

// Node's answers when require() meets an ES module it cannot load synchronously (top-level await,
// or a Node without require(esm)): load it with import() instead.
const NEEDS_IMPORT = new Set(['ERR_REQUIRE_ASYNC_MODULE', 'ERR_REQUIRE_ESM', 'ERR_REQUIRE_CYCLE_MODULE']);

async function loadEntry(file: string): Promise<Record<string, unknown>> {
  if (!/\.mjs$/.test(file)) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS entries load synchronously
      return require(file) as Record<string, unknown>;
    } catch (error) {
      if (!NEEDS_IMPORT.has((error as { code?: string }).code ?? '')) throw error;
    }
  }
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

function pickModule(
  file: string,
  exported: Record<string, unknown>,
  created: readonly Class[],
  moduleName?: string,
): Class {
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
  if (!moduleName && modules.length === 0 && created.length === 1) return created[0];
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
