/**
 * The broker compatibility suite (`npm run test:brokers`): the same end-to-end cases against Mosquitto,
 * the embedded aedes, NATS (MQTT) and RabbitMQ (MQTT plugin), each started on free ports by the
 * harness and stopped afterwards. The app runs with default settings (MQTT_PROTOCOL_VERSION=auto,
 * MQTT_SHARED_SUBSCRIPTIONS=auto) as a real process. Figures go to test/brokers/results/.
 */
import { randomUUID } from 'node:crypto';
import type { FixtureProcess } from '../utils/fixture-process';
import type { TestClient } from '../utils/test-client';
import type { TestBroker } from './harness/broker-process';
import { BROKER_PROFILES, type BrokerProfile } from './harness/local-brokers';
import { connectClient, startCompatApp } from './harness/app-process';
import { recordCase, writeResults } from './harness/results';
import { runBrokerRestart, runExampleApp, runSharedRoute, runSigkill } from './cases';

jest.setTimeout(300_000);
afterAll(() => writeResults());

describe.each(BROKER_PROFILES)('$name', (profile: BrokerProfile) => {
  const run = `compat-${profile.name}-${randomUUID().slice(0, 6)}`;
  let broker: TestBroker;
  let app: FixtureProcess;
  let client: TestClient;

  beforeAll(async () => {
    broker = await profile.start();
    client = await connectClient(broker, profile.protocolVersion);
    await client.subscribe(`${run}/#`);
    app = await startCompatApp(broker, run);
  });
  afterAll(async () => {
    await client?.close().catch(() => undefined);
    await app?.stop();
    await broker?.stop();
  });

  /** Runs a case body and records its outcome and figures, passing or not. */
  async function measured(name: string, body: () => Promise<Record<string, number | string>>): Promise<void> {
    let figures: Record<string, number | string> = {};
    let passed = false;
    try {
      figures = await body();
      passed = true;
    } finally {
      recordCase({ broker: profile.name, case: name, passed, figures });
    }
  }

  it('connects with default settings, negotiating the version the broker speaks', () =>
    measured('connect with defaults', async () => {
      const output = app.output();
      const version = profile.protocolVersion === 5 ? 'MQTT 5' : 'MQTT 3.1.1';
      expect(output).toContain(`"protocol":"${version}"`);
      // MQTT 3.1.1 brokers refuse MQTT 5 first: one info line says so, no error.
      expect(output.includes('does not speak MQTT 5')).toBe(profile.protocolVersion === 4);
      return { protocol: version };
    }));

  it('the example app starts with default settings and serves its routes', () =>
    measured('example app', () => runExampleApp(broker, profile)));

  it('routes a topic with parameters', () =>
    measured('route with params', async () => {
      await client.publish(`${run}/params/dev-1/42`, {});
      expect((await client.next(`${run}/out/params`, 30_000)).json).toEqual({
        device: 'dev-1',
        reading: '42',
      });
      return {};
    }));

  it('answers a request: MQTT 5 response topic where the broker has it, the reply topic otherwise', () =>
    measured('request/response', async () => {
      if (profile.protocolVersion === 5) {
        const correlationData = Buffer.from('c-1');
        await client.publish(
          `${run}/req/r1`,
          {},
          { properties: { responseTopic: `${run}/rr/r1`, correlationData } },
        );
        const reply = await client.next(`${run}/rr/r1`, 30_000);
        expect(reply.json).toMatchObject({ id: 'r1' });
        expect(Buffer.from(reply.properties.correlationData as Buffer).toString()).toBe('c-1');
        return { via: 'response topic' };
      }
      await client.publish(`${run}/req/r1`, {});
      expect((await client.next(`${run}/res/r1`, 30_000)).json).toMatchObject({ id: 'r1' });
      return { via: 'reply topic' };
    }));

  it('a QoS 2 route on this broker: clamped to its maximum, no reconnect loop', () =>
    measured('QoS 2 route', async () => {
      const before = app.output().length;
      await client.publish(`${run}/qos2/7`, {}, { qos: 1 });
      const reply = await client.next(`${run}/out/qos2`, 30_000);
      expect(reply.json).toEqual({ n: '7' });
      const during = app.output().slice(before);
      // A QoS 2 publish on a QoS 1 broker (NATS) closes the connection: that would show here.
      expect(during).not.toContain('MQTT connection lost');
      const warned = app.output().includes('accepts QoS 1 at most');
      expect(warned).toBe(profile.maximumQoS === 1);
      return { maximumQoS: profile.maximumQoS, clamped: warned ? 'yes' : 'no' };
    }));

  it('a shared route with 2 workers: balanced, or served once by the in-process fallback', () =>
    measured('shared route, 2 workers', () => runSharedRoute(broker, profile, `${run}sh`)));

  it('QoS 1: 1,000 messages, one SIGKILL of the app, restarted with the same client id: 0 lost', () =>
    measured('SIGKILL with 1,000 QoS 1', () => runSigkill(broker, profile, `${run}k`)));

  it('broker restart: the app reconnects and resubscribes', () =>
    measured('broker restart', async () => {
      await client.close().catch(() => undefined);
      const figures = await runBrokerRestart(broker, profile, app, run);
      client = await connectClient(broker, profile.protocolVersion);
      return figures;
    }));
});
