import type { Class } from '../metadata/types';

/**
 * While the routemq CLI loads an app's entry (routes, asyncapi, console), an entry that builds and
 * starts its app at top level (an ES module with top-level await) must not connect: createApp
 * records the root module it was given, and `app.start()` returns without starting. Kept on
 * globalThis so the CLI and the app see the same record even through ESM and CommonJS loaders.
 */
interface Inspection {
  depth: number;
  readonly modules: Class[];
}

const KEY = Symbol.for('routemq.cli-inspection');
const holder = globalThis as { [KEY]?: Inspection };

/**
 * Runs `load` as a CLI inspection; returns its result and the root modules createApp saw meanwhile.
 *
 * @example
 * ```ts
 * const { result, modules } = await inspecting(() => import(entryUrl));
 * ```
 */
export async function inspecting<T>(load: () => Promise<T>): Promise<{ result: T; modules: Class[] }> {
  const inspection = (holder[KEY] ??= { depth: 0, modules: [] });
  const before = inspection.modules.length;
  inspection.depth++;
  try {
    const result = await load();
    return { result, modules: inspection.modules.slice(before) };
  } finally {
    inspection.depth--;
    if (inspection.depth === 0) inspection.modules.length = 0;
  }
}

/** True while the CLI loads an entry. */
export function isCliInspection(): boolean {
  return (holder[KEY]?.depth ?? 0) > 0;
}

/** Called by createApp: remembers the root module while the CLI inspects. */
export function noteRootModule(rootModule: Class): void {
  if (isCliInspection()) holder[KEY]?.modules.push(rootModule);
}
