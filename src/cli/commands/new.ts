import { cpSync, existsSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ConfigError } from '../../errors';
import type { CliIo } from '../io';
import { ownManifest, packageRoot } from '../package-root';
import { scaffoldManifest } from '../scaffold-manifest';
import { installedFromFile } from '../install-spec';

/** Options of `routemq new`. */
export interface NewOptions {
  /**
   * The `routemq` dependency of the new project, e.g. `file:../routemq-0.1.0.tgz`. Default: the tarball
   * or folder this routemq was installed from, else `^<this version>`.
   */
  routemq?: string;
  /** Write into a folder that is not empty. */
  force?: boolean;
}

// npm leaves dotfiles such as .gitignore out of packages: the templates name them without the dot.
const RENAMES: Readonly<Record<string, string>> = { gitignore: '.gitignore', 'env.example': '.env.example' };

/**
 * `routemq new <dir>`: writes a project that builds, tests green and runs with the embedded broker as
 * it is: package.json (scripts, allowScripts), tsconfig with decorator settings, src/main.ts, a module,
 * a controller, a router, a middleware, a DTO, a test and .env.example.
 *
 * @example
 * ```ts
 * runNew('my-app', {}, io); // then: cd my-app && npm install && npm test && npm start
 * ```
 */
export function runNew(dir: string, options: NewOptions, io: CliIo): void {
  const target = resolve(io.cwd, dir);
  if (existsSync(target) && readdirSync(target).length > 0 && !options.force) {
    throw new ConfigError(
      'ERR_MODULE_INVALID',
      [`${target} is not empty: choose a new folder, or pass --force to write into it`],
      'Cannot create the project',
    );
  }
  cpSync(join(packageRoot(), 'templates', 'new'), target, { recursive: true });
  for (const [from, to] of Object.entries(RENAMES)) {
    if (existsSync(join(target, from))) renameSync(join(target, from), join(target, to));
  }
  const where = /\s/.test(dir) ? JSON.stringify(dir) : dir;
  const own = ownManifest();
  const spec = options.routemq ?? installedFromFile(packageRoot()) ?? `^${own.version ?? '0.1.0'}`;
  const manifest = scaffoldManifest(basename(target), own, spec);
  writeFileSync(join(target, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  io.out(
    [
      `Created ${manifest.name} in ${target}`,
      `  routemq dependency: ${spec} (another one: routemq new ${where} --force --routemq <version|file:path.tgz>)`,
      '',
      'Next:',
      `  cd ${where}`,
      '  npm install',
      '  npm test        # builds, then runs test/*.test.ts with routemq/testing (no broker needed)',
      '  npm start       # node dist/src/main.js: the embedded MQTT broker on port 1883, serving the routes',
      '  npm run dev     # the same, rebuilt and restarted on every change',
    ].join('\n'),
  );
}
