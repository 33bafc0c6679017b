/**
 * The toolchains docs/toolchains.md lists, each run for real on the same fixture apps: tsx (drops
 * decorator metadata), SWC with and without `decoratorMetadata`, and vitest 4. Every run imports the
 * built package (`routemq` resolves to dist/lib by self-reference), so `npm test` builds first.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { transformFileSync } from '@swc/core';

const ROOT = resolve(__dirname, '../../..');
const FIXTURES = join(ROOT, 'test/unit/app/fixtures');
const PROBE = join(__dirname, 'boot-probe.ts');

interface ProbeResult {
  booted: boolean;
  code?: string;
  refused?: string;
  handled?: boolean;
}

function run(args: string[]): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', CI: 'true' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function probe(args: string[]): ProbeResult {
  const { output } = run(args);
  const line = output.split('\n').find((l) => l.startsWith('{"booted"'));
  if (!line) throw new Error(`the probe printed no result:\n${output}`);
  return JSON.parse(line) as ProbeResult;
}

jest.setTimeout(180_000);

const TSX = join(ROOT, 'node_modules/tsx/dist/cli.mjs');

describe('tsx (esbuild: no decorator metadata)', () => {
  it('refuses the app written with implicit types', () => {
    const result = probe([TSX, PROBE, join(FIXTURES, 'implicit-types.app.ts')]);
    expect(result).toEqual({ booted: false, code: 'ERR_DECORATOR_METADATA_MISSING' });
  });

  it('boots and validates the app written with the explicit forms', () => {
    const result = probe([TSX, PROBE, join(FIXTURES, 'explicit-types.app.ts')]);
    expect(result).toEqual({ booted: true, refused: 'ERR_VALIDATION_FAILED', handled: true });
  });
});

describe('SWC', () => {
  // Inside the repository, so `routemq` resolves to this package by self-reference.
  const out = join(ROOT, 'dist/toolchains-swc');

  function compile(decoratorMetadata: boolean): string {
    const folder = join(out, decoratorMetadata ? 'with-metadata' : 'without-metadata');
    mkdirSync(folder, { recursive: true });
    for (const [from, to] of [
      [PROBE, 'boot-probe.js'],
      [join(FIXTURES, 'implicit-types.app.ts'), 'app.js'],
    ]) {
      const { code } = transformFileSync(from, {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      });
      writeFileSync(join(folder, to), code);
    }
    return folder;
  }

  it('keeps the metadata with decoratorMetadata: true: the implicit app boots and validates', () => {
    const folder = compile(true);
    const result = probe([join(folder, 'boot-probe.js'), join(folder, 'app.js')]);
    expect(result).toEqual({ booted: true, refused: 'ERR_VALIDATION_FAILED', handled: true });
  });

  it('without decoratorMetadata the implicit app is refused', () => {
    const folder = compile(false);
    const result = probe([join(folder, 'boot-probe.js'), join(folder, 'app.js')]);
    expect(result).toEqual({ booted: false, code: 'ERR_DECORATOR_METADATA_MISSING' });
  });
});

describe('vitest 4', () => {
  it('keeps the metadata: both fixture apps boot and validate under vitest run', () => {
    const config = join(__dirname, 'vitest/vitest.config.mts');
    const { status, output } = run([join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--config', config]);
    expect(output).toMatch(/Tests\s+.*2 passed/);
    expect(status).toBe(0);
  });
});
