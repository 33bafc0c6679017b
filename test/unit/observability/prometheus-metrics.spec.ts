import 'reflect-metadata';
import * as prom from 'prom-client';
import { Controller, Module, Payload, Topic, UseMiddleware, RateLimit } from 'routemq';
import { createTestApp } from 'routemq/testing';
import { PrometheusMetrics } from '../../../src/observability/prometheus-metrics';

/** The value of one series in Prometheus text, or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const route = { template: 'a/{id}', filter: 'a/+', handler: 'A.run' };

describe('PrometheusMetrics', () => {
  it('shows what the transport holds and the age of its oldest held ack', async () => {
    const metrics = new PrometheusMetrics(prom, { processMetrics: false });
    let text = await metrics.registry.metrics();
    expect(sample(text, 'routemq_held_messages')).toBe(0);
    metrics.watchTransport({ heldMessages: () => 42, heldBytes: () => 4200, oldestUnackedMs: () => 2500 });
    text = await metrics.registry.metrics();
    expect(sample(text, 'routemq_held_messages')).toBe(42);
    expect(sample(text, 'routemq_held_bytes')).toBe(4200);
    expect(sample(text, 'routemq_oldest_unacked_seconds')).toBe(2.5);
  });

  it('turns route observations into per-route series at scrape time', async () => {
    const metrics = new PrometheusMetrics(prom, { processMetrics: false });
    metrics.declareRoutes(['B.idle']);
    const watch = metrics.forRoute(route);
    expect(metrics.forRoute(route)).toBe(watch);
    watch.received();
    watch.received();
    const started = watch.attemptStarted();
    let text = await metrics.registry.metrics();
    expect(sample(text, 'routemq_messages_in_flight{route="A.run"}')).toBe(1);
    watch.attemptEnded(started);
    watch.processed();
    watch.retried();
    watch.failed();
    watch.deadLettered();
    watch.rejected('json_too_complex');
    metrics.limited('A.run', 'dropped');
    metrics.unmatched();
    text = await metrics.registry.metrics();
    expect(sample(text, 'routemq_messages_received_total{route="A.run"}')).toBe(2);
    expect(sample(text, 'routemq_messages_processed_total{route="A.run"}')).toBe(1);
    expect(sample(text, 'routemq_messages_retried_total{route="A.run"}')).toBe(1);
    expect(sample(text, 'routemq_messages_failed_total{route="A.run"}')).toBe(1);
    expect(sample(text, 'routemq_messages_dead_lettered_total{route="A.run"}')).toBe(1);
    expect(sample(text, 'routemq_messages_rejected_total{route="A.run",reason="json_too_complex"}')).toBe(1);
    expect(sample(text, 'routemq_messages_rejected_total{route="A.run",reason="payload_too_large"}')).toBe(0);
    expect(sample(text, 'routemq_messages_rate_limited_total{route="A.run",action="dropped"}')).toBe(1);
    expect(sample(text, 'routemq_messages_in_flight{route="A.run"}')).toBe(0);
    expect(sample(text, 'routemq_handler_duration_seconds_count{route="A.run"}')).toBe(1);
    expect(sample(text, 'routemq_messages_unmatched_total')).toBe(1);
    // Declared routes exist at 0 before their first message (rate() needs a starting point).
    expect(sample(text, 'routemq_messages_received_total{route="B.idle"}')).toBe(0);
    expect(sample(text, 'routemq_handler_duration_seconds_count{route="B.idle"}')).toBe(0);
  });

  it('tracks the broker connection, reconnects and acknowledgement lag', async () => {
    const metrics = new PrometheusMetrics(prom, { processMetrics: false });
    const read = async (series: string) => sample(await metrics.registry.metrics(), series);
    expect(await read('routemq_broker_connected')).toBe(0);
    metrics.connected();
    expect(await read('routemq_broker_connected')).toBe(1);
    metrics.disconnected();
    metrics.disconnected();
    expect(await read('routemq_broker_connected')).toBe(0);
    expect(await read('routemq_broker_disconnects_total')).toBe(1);
    metrics.connected();
    expect(await read('routemq_broker_reconnects_total')).toBe(1);
    metrics.acknowledged(3);
    expect(await read('routemq_ack_lag_seconds_count')).toBe(1);
    expect(await read('routemq_ack_lag_seconds_bucket{le="0.005"}')).toBe(1);
    expect(await read('routemq_ack_lag_seconds_bucket{le="0.001"}')).toBe(0);
  });

  it('includes the Node process metrics by default', async () => {
    const text = await new PrometheusMetrics(prom).registry.metrics();
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('keeps two apps’ metrics apart (a registry per app)', async () => {
    const one = new PrometheusMetrics(prom, { processMetrics: false });
    const two = new PrometheusMetrics(prom, { processMetrics: false });
    one.forRoute(route).received();
    expect(
      sample(await two.registry.metrics(), 'routemq_messages_received_total{route="A.run"}'),
    ).toBeUndefined();
  });
});

@Controller('m')
class MeteredController {
  @Topic('ok/{id}', { qos: 1 })
  ok(@Payload() body: unknown) {
    return body;
  }

  @Topic('limited', { qos: 1 })
  @UseMiddleware(RateLimit({ limit: 1, windowMs: 60_000, store: 'memory' }))
  limited() {
    return 'ran';
  }
}

@Module({ controllers: [MeteredController] })
class MeteredModule {}

describe('metrics of a running app (HTTP_PORT set)', () => {
  it('count what the dispatcher and the rate limiter did', async () => {
    const t = await createTestApp(MeteredModule, { httpPort: 0, httpHost: '127.0.0.1' });
    await t.dispatch('m/ok/1', { a: 1 });
    await t.dispatch('m/ok/2', `{"deep":${'['.repeat(40)}${']'.repeat(40)}}`);
    await t.dispatch('m/limited', {});
    await t.dispatch('m/limited', {});
    const response = await fetch(`http://127.0.0.1:${t.app.httpPort}/metrics`);
    const text = await response.text();
    await t.close();
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(sample(text, 'routemq_messages_received_total{route="MeteredController.ok"}')).toBe(2);
    expect(sample(text, 'routemq_messages_processed_total{route="MeteredController.ok"}')).toBe(1);
    expect(
      sample(text, 'routemq_messages_rejected_total{route="MeteredController.ok",reason="json_too_complex"}'),
    ).toBe(1);
    expect(sample(text, 'routemq_messages_dead_lettered_total{route="MeteredController.ok"}')).toBe(1);
    expect(
      sample(text, 'routemq_messages_rate_limited_total{route="MeteredController.limited",action="dropped"}'),
    ).toBe(1);
    expect(sample(text, 'routemq_messages_processed_total{route="MeteredController.limited"}')).toBe(2);
  });

  it('are off without HTTP_PORT: no endpoint, no prom-client registry', async () => {
    const t = await createTestApp(MeteredModule);
    expect(t.app.httpPort).toBeUndefined();
    await t.close();
  });
});
