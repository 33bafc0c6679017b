import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { findControllerArgs } from '../metadata/store';
import type { Class } from '../metadata/types';
import { Router } from '../router/router';

/** What the files of a module's `discover` folders export. */
export interface Discovered {
  readonly controllers: Class[];
  readonly routers: Router[];
  /** Exported `@Module` classes: imported like `imports` entries. */
  readonly modules: Class[];
  /** Folders that do not exist, files that failed to load: reported with the module's other problems. */
  readonly problems: string[];
}

// Test files and declarations are never app code; maps are not code.
const SKIPPED = /(\.d\.ts|\.(spec|test)\.[cm]?[jt]s|\.map)$/;

/**
 * Loads every file under the given folders and sorts what they export: `@Controller` classes, `Router`
 * instances and `@Module` classes. Folders are relative to the file that declares the module (the
 * compiled `.js` at run time, the `.ts` under ts-jest), or absolute. Only files with that file's
 * extension are loaded, so `dist/` loads `.js` and a test run loads `.ts`.
 *
 * @example
 * ```ts
 * const found = discover('/app/dist/app.module.js', ['controllers', 'routers'], isModule);
 * found.controllers; // every @Controller class exported under dist/controllers
 * ```
 */
export function discover(
  moduleFile: string,
  folders: readonly string[],
  isModule: (value: unknown) => boolean,
): Discovered {
  const found: Discovered = { controllers: [], routers: [], modules: [], problems: [] };
  const extension = extname(moduleFile);
  for (const folder of folders) {
    const root = isAbsolute(folder) ? folder : resolve(dirname(moduleFile), folder);
    if (!existsSync(root) || !statSync(root).isDirectory()) {
      found.problems.push(
        `discover '${folder}': ${root} is not a folder (paths are relative to ${moduleFile}, the file declaring the module)`,
      );
      continue;
    }
    for (const file of filesUnder(root, extension)) collect(file, found, isModule);
  }
  return found;
}

function filesUnder(root: string, extension: string): string[] {
  const entries = readdirSync(root, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  return entries.flatMap((entry) => {
    const path = join(root, entry.name);
    if (entry.isDirectory()) return filesUnder(path, extension);
    return entry.isFile() && extname(entry.name) === extension && !SKIPPED.test(entry.name) ? [path] : [];
  });
}

function collect(file: string, found: Discovered, isModule: (value: unknown) => boolean): void {
  let exported: Record<string, unknown>;
  try {
    // Synchronous on purpose: the module graph is flattened synchronously at createApp. require() also
    // goes through jest's transform under ts-jest, where import() of a .ts file would not.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    exported = require(file) as Record<string, unknown>;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    found.problems.push(`discover: ${file} failed to load: ${esmHint(error) ?? reason}`);
    return;
  }
  for (const value of new Set(Object.values(exported ?? {}))) {
    if (value instanceof Router) found.routers.push(value);
    else if (typeof value === 'function' && findControllerArgs(value)?.isController)
      found.controllers.push(value as Class);
    else if (isModule(value)) found.modules.push(value as Class);
  }
}

/**
 * Discovery loads files synchronously (the module graph is flattened inside createApp), so an ES module
 * works only when Node can require() it: not with top-level await, nor on a Node without require(esm).
 */
function esmHint(error: unknown): string | undefined {
  const code = (error as { code?: string }).code;
  if (code !== 'ERR_REQUIRE_ASYNC_MODULE' && code !== 'ERR_REQUIRE_ESM') return undefined;
  return (
    'it is an ES module that cannot be loaded synchronously (top-level await, or a Node without require(esm)). ' +
    'Discovered files must load synchronously: remove the top-level await from it, use Node >= 20.19, or list ' +
    'its controllers in @Module({ controllers }) instead of discover.'
  );
}
