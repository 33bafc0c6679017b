import mqtt from 'mqtt';
import { MqttTransport } from '../../../src/transport/mqtt-transport';
import type { TransportGauges } from '../../../src/transport/mqtt-transport-options';
import { sleep, waitUntil } from '../../contract/contract-helpers';
import { startMosquitto, type MosquittoInstance } from '../../utils/mosquitto';

jest.setTimeout(30_000);

/**
 * A burst to a stuck app: the broker may send far more than the app's receive maximum (Mosquitto 2.0.x
 * overshoots it, mqtt.js enforces it only for QoS 2), so the app itself must stop reading.
 */
describe('MqttTransport: bounded intake under a burst', () => {
  let broker: MosquittoInstance;
  beforeAll(async () => {
    // No broker-side limit, so only the app's own bound can keep the burst out.
    broker = await startMosquitto('max_inflight_messages 0\nmax_queued_messages 0\n');
  });
  afterAll(() => broker.stop());

  async function burst(count: number, topic: string, payload: Buffer): Promise<void> {
    const publisher = await mqtt.connectAsync(broker.url, { protocolVersion: 5, reconnectPeriod: 0 });
    await Promise.all(
      Array.from({ length: count }, () => publisher.publishAsync(topic, payload, { qos: 1 })),
    );
    await publisher.endAsync();
  }

  async function stuckApp(limits: { maxHeldMessages?: number; maxHeldBytes?: number }) {
    let release!: () => void;
    const unblocked = new Promise<void>((resolve) => (release = resolve));
    const seen = { started: 0, finished: 0, peak: 0 };
    let gauges: TransportGauges | undefined;
    const transport = new MqttTransport({
      url: broker.url,
      clientId: `intake-${Math.random().toString(16).slice(2)}`,
      receiveMaximum: 65_535,
      keepalive: 60,
      ...limits,
      observer: { connected() {}, disconnected() {}, attach: (g) => (gauges = g) },
    });
    await transport.connect(async () => {
      seen.started++;
      seen.peak = Math.max(seen.peak, seen.started - seen.finished);
      await unblocked;
      seen.finished++;
    });
    return { transport, seen, release, gauges: () => gauges as TransportGauges };
  }

  it('stops reading at MAX_HELD_MESSAGES, loses nothing, and resumes when handlers finish', async () => {
    const app = await stuckApp({ maxHeldMessages: 50 });
    await app.transport.subscribe([{ topic: 'burst/count', qos: 1 }]);
    await burst(2000, 'burst/count', Buffer.alloc(200, 'x'));
    await waitUntil('the first 50 messages', () => app.seen.started >= 50);
    // The broker accepted all 2000; give it room to push them before looking (it pushes at once).
    await sleep(500);
    expect(app.seen.started).toBe(50);
    expect(app.gauges().heldMessages()).toBe(50);
    expect(app.gauges().oldestUnackedMs()).toBeGreaterThan(0);
    app.release();
    await waitUntil('all 2000 messages processed', () => app.seen.finished === 2000, 20_000);
    expect(app.seen.peak).toBeLessThanOrEqual(50);
    expect(app.gauges().heldMessages()).toBe(0);
    await app.transport.close();
  });

  it('stops reading at MAX_HELD_BYTES', async () => {
    const app = await stuckApp({ maxHeldMessages: 10_000, maxHeldBytes: 100_000 });
    await app.transport.subscribe([{ topic: 'burst/bytes', qos: 1 }]);
    await burst(300, 'burst/bytes', Buffer.alloc(10_000, 'y'));
    await waitUntil('the first messages', () => app.seen.started >= 10);
    await sleep(500);
    // 10 messages of 10,011 bytes reach the 100,000-byte bound.
    expect(app.seen.started).toBe(10);
    expect(app.gauges().heldBytes()).toBe(10 * (10_000 + 'burst/bytes'.length));
    app.release();
    await waitUntil('all 300 messages processed', () => app.seen.finished === 300, 20_000);
    await app.transport.close();
  });

  it('keeps reading the PUBACKs of its own publishes while stopped (no deadlock)', async () => {
    const transport = new MqttTransport({
      url: broker.url,
      clientId: `intake-pub-${Math.random().toString(16).slice(2)}`,
      receiveMaximum: 65_535,
      maxHeldMessages: 5,
    });
    let started = 0;
    let finished = 0;
    let open!: () => void;
    const barrier = new Promise<void>((resolve) => (open = resolve));
    // Every handler awaits its own QoS 1 publish: its PUBACK comes over the same, stopped connection,
    // behind the rest of the burst.
    await transport.connect(async (message) => {
      started++;
      await barrier;
      await transport.publish(`echo/${message.payload.toString()}`, Buffer.from('1'), { qos: 1 });
      finished++;
    });
    await transport.subscribe([{ topic: 'burst/echo', qos: 1 }]);
    const publisher = await mqtt.connectAsync(broker.url, { protocolVersion: 5, reconnectPeriod: 0 });
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => publisher.publishAsync('burst/echo', String(i), { qos: 1 })),
    );
    await publisher.endAsync();
    await waitUntil('the intake to stop at 5', () => started === 5);
    await sleep(300);
    open();
    await waitUntil('all 200 handlers finished', () => finished === 200, 20_000);
    await transport.close();
  });
});
