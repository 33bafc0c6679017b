import 'reflect-metadata';
import {
  Controller,
  Module,
  MqttPublisher,
  Param,
  Payload,
  Topic,
  createApp,
  type RouteMQApp,
} from 'routemq';
import { startMosquitto, type MosquittoInstance } from '../../utils/mosquitto';
import { TestClient } from '../../utils/test-client';
import { eventually, readiness, scrape } from './support/prometheus-text';

@Controller('ops')
class OpsController {
  static release: (() => void) | undefined;
  constructor(private readonly publisher: MqttPublisher) {}

  @Topic('{id}/in', { qos: 1, concurrency: 10 })
  async work(@Param('id') id: string, @Payload() body: { fail?: boolean }) {
    if (body.fail) throw new Error('refused');
    await this.publisher.publish(`ops/${id}/out`, { id }, { qos: 1 });
  }

  @Topic('slow', { qos: 1 })
  async slow() {
    await new Promise<void>((resolve) => (OpsController.release = resolve));
  }
}

@Module({ controllers: [OpsController] })
class OpsModule {}

const ROUTE = 'OpsController.work';

describe('metrics and readiness over HTTP during a run (dedicated Mosquitto)', () => {
  let broker: MosquittoInstance;
  let app: RouteMQApp;
  let client: TestClient;
  let port: number;

  beforeAll(async () => {
    broker = await startMosquitto();
    app = await createApp(OpsModule, {
      env: {},
      broker: broker.url,
      httpPort: 0,
      httpHost: '127.0.0.1',
      logLevel: 'silent',
      retryAttempts: 1,
      reconnectMinMs: 50,
      reconnectMaxMs: 200,
    });
    await app.start();
    port = app.httpPort as number;
    client = await TestClient.connect(broker.url);
  });

  afterAll(async () => {
    await client?.close().catch(() => undefined);
    await app?.stop();
    await broker?.stop();
  });

  it('is ready once connected and subscribed, and serves /health', async () => {
    expect(await readiness(port)).toEqual({
      status: 200,
      checks: { broker: true, subscribed: true, draining: true, acks: true },
    });
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    expect(await scrape(port, 'routemq_broker_connected')).toBe(1);
  });

  it('counts messages as they flow: received, processed, failed, dead-lettered, durations, ack lag', async () => {
    const before = (await scrape(port, `routemq_messages_processed_total{route="${ROUTE}"}`)) ?? 0;
    expect(before).toBe(0);
    for (let i = 0; i < 20; i++) await client.publish(`ops/d${i}/in`, { fail: i % 10 === 0 });
    await eventually(
      () => scrape(port, `routemq_messages_received_total{route="${ROUTE}"}`),
      (n) => n === 20,
    );
    await eventually(
      () => scrape(port, `routemq_messages_processed_total{route="${ROUTE}"}`),
      (n) => n === 18,
    );
    expect(await scrape(port, `routemq_messages_failed_total{route="${ROUTE}"}`)).toBe(2);
    await eventually(
      () => scrape(port, `routemq_messages_dead_lettered_total{route="${ROUTE}"}`),
      (n) => n === 2,
    );
    expect(await scrape(port, `routemq_handler_duration_seconds_count{route="${ROUTE}"}`)).toBe(20);
    await eventually(
      () => scrape(port, 'routemq_ack_lag_seconds_count'),
      (n) => n !== undefined && n >= 20,
    );
    expect(await scrape(port, `routemq_messages_in_flight{route="${ROUTE}"}`)).toBe(0);
    expect(await scrape(port, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('goes not ready while the broker is down, and ready again when it is back', async () => {
    await broker.kill('SIGKILL');
    const down = await eventually(
      () => readiness(port),
      (r) => r.status === 503,
    );
    expect(down.checks.broker).toBe(false);
    expect(await scrape(port, 'routemq_broker_connected')).toBe(0);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    await broker.restart();
    await eventually(
      () => readiness(port),
      (r) => r.status === 200,
      15_000,
    );
    expect(await scrape(port, 'routemq_broker_reconnects_total')).toBeGreaterThanOrEqual(1);
    expect(await scrape(port, 'routemq_broker_disconnects_total')).toBeGreaterThanOrEqual(1);
    // Messages flow again after the reconnect (the session was clean: subscriptions were restored).
    const fresh = await TestClient.connect(broker.url);
    try {
      const processed = (await scrape(port, `routemq_messages_processed_total{route="${ROUTE}"}`)) as number;
      await fresh.publish('ops/again/in', {});
      await eventually(
        () => scrape(port, `routemq_messages_processed_total{route="${ROUTE}"}`),
        (n) => n === processed + 1,
      );
    } finally {
      await fresh.close();
    }
  });

  it('is not ready while draining: stop() waits for an in-flight handler', async () => {
    const publisher = await TestClient.connect(broker.url);
    await publisher.publish('ops/slow', {});
    await publisher.close();
    await eventually(
      () => scrape(port, 'routemq_messages_in_flight{route="OpsController.slow"}'),
      (n) => n === 1,
    );
    const stopping = app.stop();
    const draining = await readiness(port);
    expect(draining).toEqual({ status: 503, checks: expect.objectContaining({ draining: false }) });
    OpsController.release?.();
    expect(await stopping).toBe(true);
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });
});
