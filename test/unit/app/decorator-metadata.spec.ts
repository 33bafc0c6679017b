import 'reflect-metadata';
import { createApp } from '../../../src/app/create-app';
import { createTestApp } from '../../../src/testing';
import { loadFixture } from './compile-fixture';

const boot = (AppModule: unknown) => createApp(AppModule as never, { env: {}, logLevel: 'silent' });

describe('apps compiled without decorator metadata (tsx, esbuild, vitest 3, Bun)', () => {
  it('refuse to boot with one error listing every place, the cause and both fixes', async () => {
    const { AppModule } = loadFixture('implicit-types.app.ts', false);
    const error = (await boot(AppModule).catch((e: unknown) => e)) as Error & { code: string };
    expect(error.code).toBe('ERR_DECORATOR_METADATA_MISSING');
    expect(error.message).toContain('SensorController.data parameter 1 (reading) @Payload()');
    expect(error.message).toContain(
      'SensorController (used by SensorController.data) constructor parameter 0 (publisher)',
    );
    expect(error.message).toContain('constructor parameter 1 (repo)');
    expect(error.message).toContain('DeviceRepo (used by providers[0]) constructor parameter 0 (publisher)');
    expect(error.message).toMatch(/emitDecoratorMetadata.*tsx.*vitest < 4.*Bun.*SWC/s);
    expect(error.message).toMatch(/compile with tsc.*@Payload\(ReadingDto\).*@inject\(Token\)/s);
  });

  it('never reach a handler with an unvalidated DTO', async () => {
    const { AppModule } = loadFixture('implicit-types.app.ts', false);
    await expect(createTestApp(AppModule)).rejects.toMatchObject({ code: 'ERR_DECORATOR_METADATA_MISSING' });
  });

  it('boot and validate with the explicit forms @Payload(Dto) and @inject(Token)', async () => {
    const { AppModule } = loadFixture('explicit-types.app.ts', false);
    const app = await createTestApp(AppModule);
    try {
      const bad = await app.dispatch('sensors/d1/data', { temperature: 'hot', extra: 1 });
      expect(bad.error).toMatchObject({ code: 'ERR_VALIDATION_FAILED' });
      const good = await app.dispatch('sensors/d1/data', { temperature: 21 });
      expect(good.result).toBe(true);
      expect(good.published.map((m) => m.topic)).toEqual(['alerts/d1']);
      expect((await app.dispatch('sensors/d1/raw', { any: 1 })).result).toEqual({ any: 1 });
    } finally {
      await app.close();
    }
  });

  it('boot unchanged when the same implicit app keeps its metadata (tsc)', async () => {
    const { AppModule } = loadFixture('implicit-types.app.ts', true);
    const app = await createTestApp(AppModule);
    try {
      const bad = await app.dispatch('sensors/d1/data', { temperature: 'hot', extra: 1 });
      expect(bad.error).toMatchObject({ code: 'ERR_VALIDATION_FAILED' });
      expect((await app.dispatch('sensors/d1/data', { temperature: 21 })).result).toBe(true);
    } finally {
      await app.close();
    }
  });
});

describe('dependency errors name the real fix', () => {
  it('lists every unresolvable dependency at once: no @injectable(), a type-only import', async () => {
    const { AppModule } = loadFixture('dependency-mistakes.app.ts', true);
    const error = (await boot(AppModule).catch((e: unknown) => e)) as Error & {
      code: string;
      problems: string[];
    };
    expect(error.code).toBe('ERR_DEPENDENCY_UNRESOLVED');
    expect(error.problems).toHaveLength(2);
    expect(error.message).toMatch(
      /TypeOnlyImport \(used by TypeOnlyImport\.a\) constructor parameter 0 \(redis\) has no runtime token.*type-only import.*@inject\(REDIS\)/,
    );
    expect(error.message).toMatch(
      /NeedsRepo needs DeviceRepo, which has constructor parameters but no @injectable\(\)\. Fix: .*add @injectable\(\)/,
    );
    expect(error.message).not.toContain('TypeInfo not known');
  });
});
