import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from 'routemq/testing';
import { AppModule } from '../src/app.module';
import { ALERT_THRESHOLD } from '../src/sensors/alert-threshold';

// The real module, container, middleware and handlers over an in-memory broker: no broker, no sockets.
// Set ROUTEMQ_TEST_BROKER=mqtt://127.0.0.1:1883 to run the same tests against a real broker.
describe('the app', () => {
  let app: TestApp;
  before(async () => {
    app = await createTestApp(AppModule, { providers: [{ token: ALERT_THRESHOLD, useValue: 50 }] });
  });
  after(() => app.close());

  it('raises an alert for a reading above the threshold', async () => {
    const { error, published } = await app.dispatch('sensors/dev-1/data', { temperature: 72 }, { qos: 1 });
    assert.equal(error, undefined);
    assert.deepEqual(
      published.map((m) => [m.topic, m.json]),
      [['alerts/dev-1', { device_id: 'dev-1', temperature: 72 }]],
    );
  });

  it('raises no alert for a cool reading', async () => {
    const { published } = await app.dispatch('sensors/dev-2/data', { temperature: 20, humidity: 40 });
    assert.deepEqual(published, []);
  });

  it('refuses a reading that does not fit the DTO', async () => {
    const { error } = await app.dispatch('sensors/dev-3/data', { temperature: 'hot' });
    assert.equal((error as { code?: string }).code, 'ERR_VALIDATION_FAILED');
  });

  it('answers health/ping on health/pong', async () => {
    const { published } = await app.dispatch('health/ping', '');
    assert.equal(published[0]?.topic, 'health/pong');
    assert.equal((published[0]?.json as { ok: boolean }).ok, true);
  });
});
