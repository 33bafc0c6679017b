import type { PackageManifest } from './package-root';

/** The package.json of a new project. */
export interface ScaffoldManifest {
  readonly name: string;
  readonly version: string;
  readonly private: true;
  readonly description: string;
  readonly main: string;
  readonly scripts: Readonly<Record<string, string>>;
  readonly dependencies: Readonly<Record<string, string>>;
  readonly devDependencies: Readonly<Record<string, string>>;
  readonly engines: Readonly<Record<string, string>>;
  readonly allowScripts: Readonly<Record<string, boolean>>;
}

/**
 * The package.json of a project made by `routemq new`. Versions of shared libraries are RouteMQ's own
 * ranges, so npm installs one copy (class-validator keeps its metadata per copy: two copies would make
 * DTOs unvalidated). `allowScripts` (npm 11) lets better-sqlite3 build its native binding, which the
 * default SQLite database needs; other install scripts stay blocked.
 *
 * @example
 * ```ts
 * scaffoldManifest('my-app', ownManifest(), '^0.1.0').scripts.test; // 'tsc -p tsconfig.json && node --test ...'
 * ```
 */
export function scaffoldManifest(
  folderName: string,
  own: PackageManifest,
  routemqSpec: string,
): ScaffoldManifest {
  const range = (name: string) => own.dependencies?.[name] ?? own.devDependencies?.[name] ?? '*';
  const build = 'tsc -p tsconfig.json';
  return {
    name: packageName(folderName),
    version: '0.1.0',
    private: true,
    description: 'An MQTT back end built with RouteMQ',
    main: 'dist/src/main.js',
    scripts: {
      build,
      start: 'node dist/src/main.js',
      dev: 'routemq dev',
      test: `${build} && node --test dist/test/*.test.js`,
      routes: `${build} && routemq routes`,
      asyncapi: `${build} && routemq asyncapi -o asyncapi.json`,
    },
    dependencies: {
      routemq: routemqSpec,
      'class-transformer': range('class-transformer'),
      'class-validator': range('class-validator'),
      'reflect-metadata': range('reflect-metadata'),
    },
    devDependencies: { '@types/node': range('@types/node'), typescript: range('typescript') },
    engines: { node: '>=20.19' },
    allowScripts: { 'better-sqlite3': true },
  };
}

/** A valid npm package name from a folder name: lower case, URL-safe characters only. */
export function packageName(folderName: string): string {
  const name = folderName
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/^[._-]+/, '')
    .replace(/-+$/, '');
  return name || 'routemq-app';
}
