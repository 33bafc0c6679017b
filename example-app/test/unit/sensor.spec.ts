import 'reflect-metadata';
import { DATA_SOURCE, PayloadValidationError } from 'routemq';
import { createTestApp, type TestApp } from 'routemq/testing';
import type { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { NotifyOperators } from '../../src/notifications/notify-operators.job';
import { Reading } from '../../src/readings/reading.entity';

describe('example app without a broker (routemq/testing, in-memory SQLite)', () => {
  let t: TestApp;
  const rows = () => t.resolve<DataSource>(DATA_SOURCE).getRepository(Reading).find();
  beforeAll(async () => {
    // An in-memory database per test app: nothing on disk, nothing shared between runs.
    t = await createTestApp(AppModule, { databaseUrl: 'sqlite::memory:' });
  });
  afterAll(() => t.close());

  it('stores a valid reading and raises an alert above the threshold', async () => {
    const { error, published } = await t.dispatch('sensors/d1/data', { temperature: 70, humidity: 30 });
    expect(error).toBeUndefined();
    expect(published.filter((m) => m.topic.startsWith('alerts/')).map((m) => [m.topic, m.json])).toEqual([
      ['alerts/d1', { device_id: 'd1', temperature: 70 }],
    ]);
    expect(await rows()).toMatchObject([{ device_id: 'd1', temperature: 70, humidity: 30 }]);
  });

  it('hands a hot reading to the NotifyOperators job, which publishes notifications/{device_id}', async () => {
    await t.dispatch('sensors/d9/data', { temperature: 80, humidity: 20 });
    expect(t.jobs.dispatchedOf(NotifyOperators).map((d) => d.data)).toContainEqual({
      device_id: 'd9',
      temperature: 80,
    });
    const note = await t.waitForPublish('notifications/d9');
    expect(note.json).toEqual({ device_id: 'd9', temperature: 80 });
  });

  it('stores a burst of readings through the batch route, acknowledging each after its batch', async () => {
    const before = (await rows()).length;
    const runs = Array.from({ length: 50 }, (_, i) =>
      t.dispatch('sensors/burst/data', { temperature: i % 40 }, { qos: 1 }),
    );
    await t.flush(); // hands the pending batch over now instead of after maxWaitMs
    const results = await Promise.all(runs);
    expect(results.filter((r) => r.error !== undefined)).toEqual([]);
    expect((await rows()).length).toBe(before + 50);
  });

  it.each([['sensors//data'], ['sensors/$SYS/data']])(
    'refuses the device id of %s before storing or publishing anything',
    async (topic) => {
      const before = (await rows()).length;
      const run = t.dispatch(topic, { temperature: 99, humidity: 10 }, { qos: 1 });
      await t.flush();
      const { error, published } = await run;
      expect(error).toBeDefined();
      expect(published.filter((m) => m.topic.startsWith('alerts/'))).toEqual([]);
      expect(await rows()).toHaveLength(before);
    },
  );

  it('refuses an invalid reading before the handler runs', async () => {
    const before = (await rows()).length;
    const { error, published } = await t.dispatch('sensors/d2/data', { temperature: 99, humidity: 101 });
    expect(error).toBeInstanceOf(PayloadValidationError);
    expect((error as PayloadValidationError).constraints).toEqual([
      { path: 'humidity', constraints: { max: 'humidity must not be greater than 100' } },
    ]);
    expect(published.filter((m) => m.topic.startsWith('alerts/'))).toEqual([]);
    expect(await rows()).toHaveLength(before);
  });

  it('answers the status from the database when REDIS_URL is unset', async () => {
    const { result } = await t.dispatch('devices/d1/status/get', '');
    expect(result).toMatchObject({
      device_id: 'd1',
      seen: true,
      source: 'database',
      last: { temperature: 70 },
    });
  });
});
