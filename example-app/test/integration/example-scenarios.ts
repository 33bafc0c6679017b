import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { DATA_SOURCE, REDIS, type RouteMQApp } from 'routemq';
import type { DataSource } from 'typeorm';
import { TestClient } from '../../../test/utils/test-client';
import { Reading } from '../../src/readings/reading.entity';
import { ReadingService } from '../../src/readings/reading-service';

/** How a suite reaches a running example app. */
export interface ExampleTarget {
  readonly app: RouteMQApp;
  readonly url: string;
  readonly protocolVersion: 4 | 5;
}

/**
 * The example app's behaviour, the same against every broker and store: readings reach the handler
 * and the `readings` table, hot readings raise alerts, cold ones do not, invalid ones are refused,
 * and status requests are answered (from Redis when REDIS_URL is set, else from the database).
 */
export function exampleScenarios(target: () => ExampleTarget): void {
  let client: TestClient;
  const device = () => `dev-${randomUUID().slice(0, 8)}`;
  const db = () => target().app.container.resolve<DataSource>(DATA_SOURCE);
  const usesRedis = () => target().app.config.redisUrl !== undefined;
  const rowsOf = (id: string) =>
    db()
      .getRepository(Reading)
      .find({ where: { device_id: id } });
  /**
   * Waits until `count` readings of the device are stored. The broker acknowledges a publish on
   * receipt, before the app handled it, so a test must wait for the effect itself.
   */
  const stored = async (id: string, count: number) => {
    const deadline = Date.now() + 5000;
    for (;;) {
      const rows = await rowsOf(id);
      if (rows.length >= count || Date.now() > deadline) return rows;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  /** Publishes a status request and resolves with the reply, over MQTT 5 or 3.1.1. */
  const askStatus = async (id: string) => {
    // next() returns a message already received first: forget earlier replies of this device.
    for (let i = client.received.length - 1; i >= 0; i--) {
      if (client.received[i].topic.endsWith(id) || client.received[i].topic.includes(`/${id}/`))
        client.received.splice(i, 1);
    }
    if (target().protocolVersion === 5) {
      await client.subscribe(`replies/${id}`);
      const correlationData = Buffer.from(`corr-${id}`);
      await client.publish(`devices/${id}/status/get`, '', {
        properties: { responseTopic: `replies/${id}`, correlationData },
      });
      const reply = await client.next(`replies/${id}`);
      expect(Buffer.from(reply.properties.correlationData as Uint8Array)).toEqual(correlationData);
      return reply.json;
    }
    await client.publish(`devices/${id}/status/get`, '');
    return (await client.next(`devices/${id}/status`)).json;
  };

  beforeEach(async () => {
    client = await TestClient.connect(target().url, target().protocolVersion);
    await client.subscribe('alerts/#');
    await client.subscribe('devices/+/status');
  });
  afterEach(() => client.close());

  it('raises an alert for a reading above ALERT_THRESHOLD (QoS 1)', async () => {
    const id = device();
    await client.publish(`sensors/${id}/data`, { temperature: 72 });
    const alert = await client.next(`alerts/${id}`);
    expect(alert.json).toEqual({ device_id: id, temperature: 72 });
  });

  it('raises no alert for a reading at or below the threshold', async () => {
    const cold = device();
    const hot = device();
    await client.publish(`sensors/${cold}/data`, { temperature: 20, humidity: 40 });
    await client.publish(`sensors/${hot}/data`, { temperature: 51 });
    await client.next(`alerts/${hot}`);
    expect(client.received.filter((m) => m.topic === `alerts/${cold}`)).toEqual([]);
  });

  it('keeps serving after a malformed reading', async () => {
    const id = device();
    await client.publish(`sensors/${id}/data`, 'not json');
    await client.publish(`sensors/${id}/data`, { temperature: 'hot' });
    await client.publish(`sensors/${id}/data`, { temperature: 99 });
    expect((await client.next(`alerts/${id}`)).json).toEqual({ device_id: id, temperature: 99 });
  });

  it('stores every valid reading in the readings table, and no invalid one', async () => {
    const id = device();
    await client.publish(`sensors/${id}/data`, { temperature: 21.5, humidity: 40 });
    await client.publish(`sensors/${id}/data`, { temperature: 22, humidity: 140 }); // humidity out of range
    await client.publish(`sensors/${id}/data`, { temperature: 23, extra: true }); // undeclared field
    await client.publish(`sensors/${id}/data`, { temperature: 24.25 });
    // The route handles its messages in order: once the last one is stored, the others were handled.
    const rows = await stored(id, 2);
    expect(rows.map((r) => [r.temperature, r.humidity]).sort()).toEqual([
      [21.5, 40],
      [24.25, null],
    ]);
    expect(rows.every((r) => r.received_at instanceof Date)).toBe(true);
  });

  it('answers a status request with the last reading', async () => {
    const id = device();
    await client.publish(`sensors/${id}/data`, { temperature: 30, humidity: 55 });
    await stored(id, 1);
    expect(await askStatus(id)).toMatchObject({
      device_id: id,
      seen: true,
      last: { temperature: 30, humidity: 55 },
      source: usesRedis() ? 'redis' : 'database',
    });
  });

  it('answers an unknown device with seen: false', async () => {
    const id = device();
    expect(await askStatus(id)).toMatchObject({ device_id: id, seen: false });
  });

  it('answers from Redis when REDIS_URL is set, else from the database', async () => {
    const id = device();
    await client.publish(`sensors/${id}/data`, { temperature: 31 });
    await stored(id, 1);
    if (!usesRedis()) {
      expect(await askStatus(id)).toMatchObject({ source: 'database', last: { temperature: 31 } });
      return;
    }
    // The cache is what answers: a value only Redis holds comes back.
    const redis = target().app.container.resolve<Redis>(REDIS);
    const key = ReadingService.cacheKey(id);
    expect(JSON.parse((await redis.get(key)) as string)).toMatchObject({ device_id: id, temperature: 31 });
    const planted = { device_id: id, temperature: -40, received_at: new Date(0).toISOString() };
    await redis.set(key, JSON.stringify(planted));
    expect(await askStatus(id)).toMatchObject({ source: 'redis', last: planted });
    // Without the cache entry, the database answers.
    await redis.del(key);
    expect(await askStatus(id)).toMatchObject({ source: 'database', last: { temperature: 31 } });
  });

  it('has a schema that matches its entities (migration and synchronize agree)', async () => {
    const pending = await db().driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('lists its routes', () => {
    expect(target().app.routes.map((r) => r.template)).toEqual([
      'sensors/{device_id}/data',
      'devices/{device_id}/status/get',
    ]);
  });
}
