import 'reflect-metadata';
import { createTestApp, type TestApp } from 'routemq/testing';
import { AppModule } from '../../src/app.module';
import { ALERT_THRESHOLD } from '../../src/common/settings';
import { ReadingService, type LastReading } from '../../src/readings/reading-service';

// Replacing a service with a fake is one provider line (docs/testing.md). Set
// ROUTEMQ_TEST_BROKER=mqtt://127.0.0.1:1883 to run the very same tests against a real broker.
describe('example app with its storage replaced by a fake', () => {
  const recorded: string[] = [];
  const fakeReadings = {
    recordMany: async (readings: readonly { deviceId: string }[]) =>
      void recorded.push(...readings.map((r) => r.deviceId)),
    last: async (): Promise<LastReading> => ({ source: 'database' }),
  };
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(AppModule, {
      databaseUrl: 'sqlite::memory:',
      providers: [
        { token: ReadingService, useValue: fakeReadings },
        { token: ALERT_THRESHOLD, useValue: 10 },
      ],
    });
  });
  afterAll(() => t?.close());

  it('handlers use the fake service and the overridden threshold', async () => {
    const { published } = await t.dispatch('sensors/fake-1/data', { temperature: 11 }, { qos: 1 });
    expect(recorded).toEqual(['fake-1']);
    expect(published.map((m) => m.topic).filter((t) => t.startsWith('alerts/'))).toEqual(['alerts/fake-1']);
  });

  it('publishes the handler result on the reply topic', async () => {
    const { result, published } = await t.dispatch('devices/fake-1/status/get', '', { qos: 1 });
    expect(result).toEqual({ device_id: 'fake-1', seen: false, source: 'database' });
    expect(published.map((m) => m.topic)).toEqual(['devices/fake-1/status']);
    expect(t.publishedOn('devices/+/status')).toHaveLength(1);
  });

  it('waits for a publish on a topic filter', async () => {
    void t.dispatch('sensors/fake-2/data', { temperature: 99 }, { qos: 1 });
    expect((await t.waitForPublish('alerts/fake-2')).json).toEqual({ device_id: 'fake-2', temperature: 99 });
  });
});
