import { randomUUID } from 'node:crypto';
import type { RouteMQApp } from 'routemq';
import { TestClient } from '../../../test/utils/test-client';

/** How a suite reaches a running example app. */
export interface ExampleTarget {
  readonly app: RouteMQApp;
  readonly url: string;
  readonly protocolVersion: 4 | 5;
}

/**
 * The example app's behaviour, the same against every broker: readings reach the handler, hot readings
 * raise alerts, cold ones do not, and status requests are answered.
 */
export function exampleScenarios(target: () => ExampleTarget): void {
  let client: TestClient;
  const device = () => `dev-${randomUUID().slice(0, 8)}`;

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

  it('answers a status request with the last reading', async () => {
    const id = device();
    await client.publish(`sensors/${id}/data`, { temperature: 30, humidity: 55 });
    if (target().protocolVersion === 5) {
      await client.subscribe(`replies/${id}`);
      const correlationData = Buffer.from(`corr-${id}`);
      // The reading is acknowledged only after its handler ran, so the status below sees it.
      await client.publish(`devices/${id}/status/get`, '', {
        properties: { responseTopic: `replies/${id}`, correlationData },
      });
      const reply = await client.next(`replies/${id}`);
      expect(reply.json).toMatchObject({
        device_id: id,
        seen: true,
        last: { temperature: 30, humidity: 55 },
      });
      expect(Buffer.from(reply.properties.correlationData as Uint8Array)).toEqual(correlationData);
    } else {
      await client.publish(`devices/${id}/status/get`, '');
      const reply = await client.next(`devices/${id}/status`);
      expect(reply.json).toMatchObject({
        device_id: id,
        seen: true,
        last: { temperature: 30, humidity: 55 },
      });
    }
  });

  it('lists its routes', () => {
    expect(target().app.routes.map((r) => r.template)).toEqual([
      'sensors/{device_id}/data',
      'devices/{device_id}/status/get',
    ]);
  });
}
