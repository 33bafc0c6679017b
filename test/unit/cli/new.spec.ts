import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { runNew } from '../../../src/cli/commands/new';
import { COMMANDS } from '../../../src/cli/main';
import { runCli } from '../../../src/cli/program';
import { packageName } from '../../../src/cli/scaffold-manifest';
import { typeCheck } from '../../docs/type-check';
import { recordingIo } from './cli-io';

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

describe('routemq new', () => {
  let work: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'routemq-new-'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it('writes the project files, dotfiles included', () => {
    const io = recordingIo(work);
    runNew('My App', {}, io);
    expect(listFiles(join(work, 'My App'))).toEqual([
      '.env.example',
      '.gitignore',
      'README.md',
      'package.json',
      'src/app.module.ts',
      'src/common/logging.middleware.ts',
      'src/health.routes.ts',
      'src/main.ts',
      'src/sensors/alert-threshold.ts',
      'src/sensors/reading.dto.ts',
      'src/sensors/sensor.controller.ts',
      'test/sensor.controller.test.ts',
      'tsconfig.json',
    ]);
    expect(io.stdout[0]).toContain('npm install');
    // From a checkout (not installed from a tarball): the version range, and how to choose another.
    expect(io.stdout[0]).toMatch(/routemq dependency: \^\d+\.\d+\.\d+ \(another one: .*--routemq </);
  });

  it('writes a package.json with the scripts, shared library ranges and allowScripts', () => {
    runNew('app', { routemq: 'file:../routemq.tgz' }, recordingIo(work));
    const manifest = JSON.parse(readFileSync(join(work, 'app/package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    const own = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(manifest).toMatchObject({
      name: 'app',
      main: 'dist/src/main.js',
      scripts: {
        build: 'tsc -p tsconfig.json',
        start: 'node dist/src/main.js',
        dev: 'routemq dev',
        test: 'tsc -p tsconfig.json && node --test dist/test/*.test.js',
      },
      dependencies: {
        routemq: 'file:../routemq.tgz',
        'class-validator': own.dependencies['class-validator'],
        'reflect-metadata': own.dependencies['reflect-metadata'],
      },
      devDependencies: { typescript: own.devDependencies.typescript },
      allowScripts: { 'better-sqlite3': true },
    });
  });

  it('has a tsconfig with the decorator settings', () => {
    runNew('app', {}, recordingIo(work));
    const { compilerOptions } = JSON.parse(readFileSync(join(work, 'app/tsconfig.json'), 'utf8')) as {
      compilerOptions: Record<string, unknown>;
    };
    expect(compilerOptions).toMatchObject({
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      strict: true,
    });
  });

  it('writes sources that type-check against this version of RouteMQ', () => {
    runNew('app', {}, recordingIo(work));
    const app = join(work, 'app');
    const sources = listFiles(app).filter((f) => f.endsWith('.ts'));
    const errors = typeCheck(Object.fromEntries(sources.map((f) => [join(app, f), undefined])));
    expect(errors).toEqual([]);
  });

  it('refuses a folder that is not empty, unless --force', async () => {
    writeFileSync(join(work, 'keep.txt'), 'mine');
    const io = recordingIo(work);
    expect(await runCli(['new', '.'], COMMANDS, io)).toBe(1);
    expect(io.stderr.at(-1)).toMatch(/is not empty: choose a new folder, or pass --force/);
    expect(await runCli(['new', '.', '--force'], COMMANDS, io)).toBe(0);
    expect(existsSync(join(work, 'keep.txt')) && existsSync(join(work, 'src/main.ts'))).toBe(true);
  });

  it.each([
    ['My App', 'my-app'],
    ['_x', 'x'],
    ['@@@', 'routemq-app'],
  ])('names a folder %j package %j', (folder, name) => {
    expect(packageName(folder)).toBe(name);
  });
});
