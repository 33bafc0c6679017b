import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';

/**
 * How the running routemq was installed, when that was from a tarball or a folder (`npx ./routemq-0.1.0.tgz`,
 * `npm install ../routemq-0.1.0.tgz`): the `file:` spec, made absolute, so that `routemq new` writes a
 * dependency that installs (a version range would fail with E404 for an unpublished version). Read from
 * the package.json (or package-lock.json) of the project whose node_modules holds routemq; undefined
 * when it came from the registry or runs from a checkout.
 *
 * @example
 * ```ts
 * installedFromFile('/tmp/app/node_modules/routemq'); // 'file:/tmp/routemq-0.1.0.tgz'
 * ```
 */
export function installedFromFile(packageRoot: string): string | undefined {
  const modules = dirname(packageRoot);
  if (basename(modules) !== 'node_modules') return undefined;
  const project = dirname(modules);
  const spec = declaredSpec(project) ?? lockedSpec(project);
  if (!spec) return undefined;
  const path = spec.startsWith('file:') ? spec.slice('file:'.length) : spec;
  if (!spec.startsWith('file:') && !/\.(tgz|tar\.gz)$/.test(spec)) return undefined;
  return `file:${isAbsolute(path) ? path : resolve(project, path)}`;
}

function declaredSpec(project: string): string | undefined {
  const manifest = readJson(join(project, 'package.json')) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  return manifest?.dependencies?.routemq ?? manifest?.devDependencies?.routemq;
}

function lockedSpec(project: string): string | undefined {
  const lock = readJson(join(project, 'package-lock.json')) as {
    packages?: Record<string, { resolved?: string }>;
  };
  const resolved = lock?.packages?.['node_modules/routemq']?.resolved;
  return resolved?.startsWith('file:') ? resolved : undefined;
}

function readJson(file: string): unknown {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}
