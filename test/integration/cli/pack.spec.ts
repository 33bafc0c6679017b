/**
 * `npm pack` in a fresh clone (nothing built): the `prepack` script builds, so the tarball carries the
 * compiled library, the LICENSE, the templates and the docs the scaffold points to, and no sources.
 * The clone borrows this checkout's node_modules (no install); only committed files are packed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './cli-process';

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 240_000, env: process.env });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
}

describe('npm pack in a fresh clone', () => {
  jest.setTimeout(300_000);
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'routemq-pack-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('builds first and ships dist, LICENSE, templates and docs, without src', () => {
    const clone = join(work, 'clone');
    run('git', ['clone', '--quiet', '--depth', '1', `file://${ROOT}`, clone], work);
    symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir');
    const [packed] = JSON.parse(run('npm', ['pack', '--dry-run', '--json'], clone)) as {
      files: { path: string }[];
    }[];
    const files = packed.files.map((f) => f.path);
    for (const file of [
      'LICENSE',
      'README.md',
      'dist/lib/index.js',
      'dist/lib/index.d.ts',
      'dist/lib/cli/main.js',
      'dist/lib/testing/index.js',
      'templates/new/src/main.ts',
      'templates/new/env.example',
      'docs/configuration.md',
      'docs/toolchains.md',
    ]) {
      expect(files).toContain(file);
    }
    expect(files.filter((f) => f.startsWith('src/') || f.endsWith('.d.ts.map'))).toEqual([]);
  });
});
