import { randomUUID } from 'node:crypto';
import { startWorkersApp, type AppProcess } from '../workers/app-process';
import { freePort } from '../../utils/free-port';
import { startMosquitto, type MosquittoInstance } from '../../utils/mosquitto';
import { TestClient } from '../../utils/test-client';
import { eventually, readiness, sample, scrape } from './support/prometheus-text';

describe('the supervisor serves the metrics of every worker, merged (3 worker processes)', () => {
  let broker: MosquittoInstance;
  let app: AppProcess | undefined;
  let client: TestClient | undefined;

  beforeAll(async () => {
    broker = await startMosquitto('max_inflight_messages 100\nmax_queued_messages 10000');
  });
  afterEach(async () => {
    await app?.stop();
    await client?.close();
  });
  afterAll(async () => broker?.stop());

  it('sums each route counter over the workers, and reports every worker connected', async () => {
    const run = `m-${randomUUID().slice(0, 8)}`;
    const port = await freePort();
    app = startWorkersApp({
      MQTT_BROKER: broker.url,
      MQTT_GROUP_NAME: run,
      FIXTURE_RUN: run,
      FIXTURE_REPORT: '0',
      WORKERS_A: '3',
      HTTP_PORT: String(port),
      HTTP_HOST: '127.0.0.1',
    });
    await app.waitFor('all workers ready', 30_000);
    expect(app.output()).toContain(`HTTP endpoint on 127.0.0.1:${port}`);
    await eventually(
      () => readiness(port),
      (r) => r.status === 200,
    );
    client = await TestClient.connect(broker.url);
    for (let i = 0; i < 150; i++) await client.publish(`${run}/a/${i}`, { i });
    const route = 'routemq_messages_processed_total{route="WorkController.a"}';
    await eventually(
      () => scrape(port, route),
      (n) => n === 150,
      20_000,
    );
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    // One worker alone handles about a third: 150 is only reachable as the sum of all three.
    expect(sample(text, 'routemq_messages_received_total{route="WorkController.a"}')).toBe(150);
    expect(sample(text, 'routemq_handler_duration_seconds_count{route="WorkController.a"}')).toBe(150);
    expect(sample(text, 'routemq_broker_connected')).toBe(3);
    expect(sample(text, 'routemq_workers{state="running"}')).toBe(3);
    expect(sample(text, 'routemq_worker_restarts_total')).toBe(0);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  }, 60_000);

  it('is not ready while a killed worker restarts, then ready again', async () => {
    const run = `r-${randomUUID().slice(0, 8)}`;
    const port = await freePort();
    app = startWorkersApp({
      MQTT_BROKER: broker.url,
      MQTT_GROUP_NAME: run,
      FIXTURE_RUN: run,
      WORKERS_A: '2',
      HTTP_PORT: String(port),
      HTTP_HOST: '127.0.0.1',
    });
    await app.waitFor('all workers ready', 30_000);
    const ready = await eventually(
      () => readiness(port),
      (r) => r.status === 200,
    );
    const victim = Object.keys(ready.checks)
      .map((name) => /^worker pid (\d+)$/.exec(name)?.[1])
      .find((pid) => pid !== undefined);
    process.kill(Number(victim), 'SIGKILL');
    const degraded = await eventually(
      () => readiness(port),
      (r) => r.status === 503,
    );
    expect(degraded.checks.workers).toBe(false);
    await eventually(
      () => readiness(port),
      (r) => r.status === 200,
      20_000,
    );
    expect(await scrape(port, 'routemq_worker_restarts_total')).toBe(1);
  }, 60_000);
});
