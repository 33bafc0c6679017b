/**
 * Protocol version negotiation and CONNACK capabilities (docs/brokers.md) against real brokers: the
 * embedded aedes (MQTT 3.1.1 only) and dedicated Mosquitto instances configured with limits.
 */
import { startEmbeddedBroker, type EmbeddedBroker } from '../../../src/transport/embedded-broker';
import { MqttTransport } from '../../../src/transport/mqtt-transport';
import type { TransportLogger } from '../../../src/transport/mqtt-transport-options';
import type { InboundMessage } from '../../../src/transport/transport';
import { waitUntil } from '../../contract/contract-helpers';
import { startMosquitto, type MosquittoInstance } from '../../utils/mosquitto';

jest.setTimeout(20_000);

/** Keeps what the transport logs, to check the one-line notices. */
function recordingLogger(): TransportLogger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (_obj: object, msg?: string): void => void lines.push(msg ?? '');
  return { lines, info: keep, warn: keep, error: keep, debug: () => undefined };
}

const ignore = async (): Promise<void> => undefined;

describe('MQTT_PROTOCOL_VERSION against an MQTT 3.1.1-only broker (aedes)', () => {
  let broker: EmbeddedBroker;
  beforeAll(async () => {
    broker = await startEmbeddedBroker({ port: 0 });
  });
  afterAll(() => broker.close());
  const url = (): string => `mqtt://127.0.0.1:${broker.port}`;

  it('auto: tries MQTT 5, falls back to 3.1.1 once, says so in one info line, reports 3.1.1 capabilities', async () => {
    const logger = recordingLogger();
    const transport = new MqttTransport({ url: url(), protocolVersion: 'auto' }, logger);
    await transport.connect(ignore);
    expect(transport.capabilities).toMatchObject({
      protocolVersion: 4,
      properties: false,
      subscriptionIdentifiers: false,
      sharedSubscriptions: false,
      maximumQoS: 2,
    });
    expect(logger.lines.filter((l) => l.includes('does not speak MQTT 5'))).toHaveLength(1);
    const received: InboundMessage[] = [];
    await transport.close();
    const again = new MqttTransport({ url: url(), protocolVersion: 'auto' });
    await again.connect(async (m) => void received.push(m));
    await again.subscribe([{ topic: 'negotiated/+', qos: 1 }]);
    await again.publish('negotiated/a', Buffer.from('x'), { qos: 1 });
    await waitUntil('the message published over the negotiated 3.1.1 session', () => received.length === 1);
    await again.close();
  });

  it('5: fails with ERR_BROKER_PROTOCOL naming MQTT_PROTOCOL_VERSION, not "check MQTT_BROKER"', async () => {
    const transport = new MqttTransport({ url: url(), protocolVersion: 5 });
    const error = await transport.connect(ignore).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_BROKER_PROTOCOL' });
    expect((error as Error).message).toContain('does not speak MQTT 5');
    expect((error as Error).message).toContain('MQTT_PROTOCOL_VERSION=auto');
    expect((error as Error).message).not.toContain('Check MQTT_BROKER');
    await transport.close();
  });

  it('MQTT_SHARED_SUBSCRIPTIONS=true overrides the 3.1.1 default of none', async () => {
    const transport = new MqttTransport({ url: url(), protocolVersion: 4, sharedSubscriptions: true });
    await transport.connect(ignore);
    expect(transport.capabilities.sharedSubscriptions).toBe(true);
    await transport.close();
  });
});

describe('CONNACK capabilities of a limited Mosquitto (MQTT 5.0 section 3.2.2.3)', () => {
  let mosquitto: MosquittoInstance;
  beforeAll(async () => {
    mosquitto = await startMosquitto('max_qos 1\nretain_available false\nmax_packet_size 2000');
  });
  afterAll(() => mosquitto.stop());

  it('reads Maximum QoS, Retain Available and Maximum Packet Size under auto (MQTT 5 accepted)', async () => {
    const transport = new MqttTransport({ url: mosquitto.url, protocolVersion: 'auto' });
    await transport.connect(ignore);
    expect(transport.capabilities).toMatchObject({
      protocolVersion: 5,
      properties: true,
      subscriptionIdentifiers: true,
      sharedSubscriptions: true,
      maximumQoS: 1,
      retainAvailable: false,
      maximumPacketSize: 2000,
    });
    await transport.close();
  });

  it('clamps QoS 2 publishes and subscriptions to the maximum, warns once, and the connection stays up', async () => {
    const logger = recordingLogger();
    const transport = new MqttTransport({ url: mosquitto.url, protocolVersion: 'auto' }, logger);
    const received: InboundMessage[] = [];
    await transport.connect(async (m) => void received.push(m));
    await transport.subscribe([{ topic: 'clamp/+', qos: 2 }]);
    for (let i = 0; i < 3; i++) await transport.publish(`clamp/${i}`, Buffer.from('x'), { qos: 2 });
    await waitUntil('three clamped messages', () => received.length === 3);
    expect(received.map((m) => m.qos)).toEqual([1, 1, 1]);
    expect(logger.lines.filter((l) => l.includes('QoS 2 publishes are sent at QoS 1'))).toHaveLength(1);
    await transport.close();
  });

  it('refuses a publish larger than Maximum Packet Size with ERR_PUBLISH_UNSUPPORTED instead of a disconnect', async () => {
    const transport = new MqttTransport({ url: mosquitto.url, protocolVersion: 'auto' });
    const received: InboundMessage[] = [];
    await transport.connect(async (m) => void received.push(m));
    await transport.subscribe([{ topic: 'size/+', qos: 1 }]);
    const error = await transport
      .publish('size/big', Buffer.alloc(5000), { qos: 1 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_PUBLISH_UNSUPPORTED' });
    expect((error as Error).message).toContain('at most 2000');
    const retained = await transport
      .publish('size/r', Buffer.from('x'), { qos: 1, retain: true })
      .catch((e: unknown) => e);
    expect(retained).toMatchObject({ code: 'ERR_PUBLISH_UNSUPPORTED' });
    // Still connected: a publish that fits goes through.
    await transport.publish('size/small', Buffer.alloc(1000), { qos: 1 });
    await waitUntil('the small message', () => received.length === 1);
    await transport.close();
  });

  it('splits SUBSCRIBE packets at maxFiltersPerSubscribe and every filter works', async () => {
    const transport = new MqttTransport({
      url: mosquitto.url,
      protocolVersion: 4,
      maxFiltersPerSubscribe: 3,
    });
    const received: InboundMessage[] = [];
    await transport.connect(async (m) => void received.push(m));
    const topics = Array.from({ length: 10 }, (_, i) => `split/${i}`);
    await transport.subscribe(topics.map((topic) => ({ topic, qos: 1 as const })));
    for (const topic of topics) await transport.publish(topic, Buffer.from('x'), { qos: 1 });
    await waitUntil('one message per filter', () => received.length === 10);
    await transport.close();
  });
});
