import { dirname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

// src/ (under ts-jest) or dist/lib/ (compiled): frames in here are RouteMQ's own, never the caller.
const OWN_ROOT = dirname(__dirname) + sep;
// Decorators run through these helpers (reflect-metadata's Reflect.decorate, tslib's __decorate).
const HELPERS = [`${sep}node_modules${sep}reflect-metadata${sep}`, `${sep}node_modules${sep}tslib${sep}`];

/**
 * The file of the first stack frame outside RouteMQ and the decorator helpers: the file that called
 * `@Module(...)` or `router.on(...)`, with line and column. Raw call sites are read (not the formatted
 * stack), so `--enable-source-maps` does not turn the compiled `.js` file into its `.ts` source.
 *
 * @example
 * ```ts
 * const site = callerSite(); // { file: '/app/dist/app.module.js', line: 12, column: 3 }
 * ```
 */
export function callerSite(): { file: string; line: number; column: number } | undefined {
  for (const site of rawCallSites()) {
    const name = site.getFileName();
    if (!name || name.startsWith('node:')) continue;
    const file = name.startsWith('file://') ? fileURLToPath(name) : name;
    if (file.startsWith(OWN_ROOT) || HELPERS.some((helper) => file.includes(helper))) continue;
    return { file, line: site.getLineNumber() ?? 0, column: site.getColumnNumber() ?? 0 };
  }
  return undefined;
}

function rawCallSites(): NodeJS.CallSite[] {
  const original = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = 40;
    Error.prepareStackTrace = (_error, sites) => sites;
    const holder: { stack?: NodeJS.CallSite[] } = {};
    Error.captureStackTrace(holder, rawCallSites);
    return holder.stack ?? [];
  } finally {
    Error.prepareStackTrace = original;
    Error.stackTraceLimit = limit;
  }
}
