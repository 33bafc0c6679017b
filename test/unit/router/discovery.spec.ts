import 'reflect-metadata';
import { createTestApp } from 'routemq/testing';
import { BadDiscoveryModule, DiscoveringModule } from './fixtures/discovery/app.module';

describe('route discovery (@Module({ discover }))', () => {
  it('loads every file of the folders (recursively) and serves their controllers, routers and modules', async () => {
    const t = await createTestApp(DiscoveringModule);
    expect(t.app.routes.map((r) => r.template).sort()).toEqual([
      'admin/ping',
      'devices/{id}/ping',
      'extra/ask',
      'sensors/{id}/data',
    ]);
    expect((await t.dispatch('sensors/s1/data', {})).result).toBe('sensor');
    expect((await t.dispatch('admin/ping', {})).result).toBe('admin');
    expect((await t.dispatch('devices/d1/ping', {})).result).toBe('device');
    expect((await t.dispatch('extra/ask', {})).result).toBe('extra');
    await t.close();
  });

  it('reports a missing folder (saying what it is relative to) and a file that fails to load', async () => {
    const failure = createTestApp(BadDiscoveryModule);
    await expect(failure).rejects.toMatchObject({
      code: 'ERR_MODULE_INVALID',
      problems: [
        expect.stringMatching(
          /^BadDiscoveryModule: discover 'missing': .*missing is not a folder \(paths are relative to .*app\.module\.ts/,
        ),
        expect.stringMatching(
          /^BadDiscoveryModule: discover: .*throws\.ts failed to load: this file fails to load/,
        ),
      ],
    });
  });
});
