import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { createTestApp } from 'routemq/testing';
import * as implicit from '../../../unit/app/fixtures/implicit-types.app';
import * as explicit from '../../../unit/app/fixtures/explicit-types.app';

describe.each([
  ['implicit types (decorator metadata)', implicit.AppModule],
  ['explicit types', explicit.AppModule],
])('vitest 4: %s', (_name, AppModule) => {
  it('boots, refuses an invalid DTO and handles a valid one', async () => {
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
