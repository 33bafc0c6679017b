import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installedFromFile } from '../../../src/cli/install-spec';

describe('installedFromFile (the spec routemq new writes when run from a tarball)', () => {
  let work: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'routemq-spec-'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  function project(dependency: string | undefined, lockResolved?: string): string {
    const dir = join(work, 'cache/_npx/abc');
    mkdirSync(join(dir, 'node_modules/routemq'), { recursive: true });
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ dependencies: dependency ? { routemq: dependency } : {} }),
    );
    if (lockResolved) {
      const packages = { 'node_modules/routemq': { resolved: lockResolved } };
      writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ packages }));
    }
    return join(dir, 'node_modules/routemq');
  }

  it('resolves the relative file: spec npx writes (npx ./routemq-0.1.0.tgz) to an absolute one', () => {
    expect(installedFromFile(project('file:../../../routemq-0.1.0.tgz'))).toBe(
      `file:${join(work, 'routemq-0.1.0.tgz')}`,
    );
  });

  it('reads package-lock.json when package.json does not name routemq', () => {
    expect(installedFromFile(project(undefined, 'file:../pkg'))).toBe(`file:${join(work, 'cache/_npx/pkg')}`);
  });

  it('keeps a registry install and a checkout on the version range', () => {
    expect(installedFromFile(project('^0.1.0'))).toBeUndefined();
    expect(installedFromFile(join(work, 'routemq-checkout'))).toBeUndefined();
  });
});
