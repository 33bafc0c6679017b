import { MqttPublisher, encodePayload } from '../../../src/transport/publisher';
import type { PublishOptions, Transport } from '../../../src/transport/transport';

/** A transport that records publishes (only publish is used by MqttPublisher). */
function recordingTransport(): {
  transport: Transport;
  sent: { topic: string; payload: Buffer; options?: PublishOptions }[];
} {
  const sent: { topic: string; payload: Buffer; options?: PublishOptions }[] = [];
  const transport: Transport = {
    description: 'recording',
    capabilities: { sharedSubscriptions: true, subscriptionIdentifiers: true, properties: true },
    connect: async () => undefined,
    subscribe: async () => undefined,
    unsubscribe: async () => undefined,
    publish: async (topic, payload, options) => void sent.push({ topic, payload, options }),
    close: async () => undefined,
  };
  return { transport, sent };
}

describe('MqttPublisher', () => {
  it('sends objects as JSON with the given options', async () => {
    const { transport, sent } = recordingTransport();
    await new MqttPublisher(transport).publish('alerts/7', { temperature: 31 }, { qos: 1, retain: true });
    expect(sent).toHaveLength(1);
    expect(sent[0].topic).toBe('alerts/7');
    expect(sent[0].payload.toString()).toBe('{"temperature":31}');
    expect(sent[0].options).toEqual({ qos: 1, retain: true });
  });

  it('rejects a topic with a wildcard or NUL before sending, naming the topic', async () => {
    const { transport, sent } = recordingTransport();
    const publisher = new MqttPublisher(transport);
    for (const topic of ['alerts/+', 'alerts/#', 'a\u0000b', '']) {
      await expect(publisher.publish(topic, 'x')).rejects.toMatchObject({
        code: 'ERR_PUBLISH_TOPIC_INVALID',
        message: expect.stringContaining(JSON.stringify(topic)),
      });
    }
    expect(sent).toEqual([]);
  });

  it('rejects a payload without a JSON form with ERR_PAYLOAD_INVALID', async () => {
    const { transport } = recordingTransport();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(new MqttPublisher(transport).publish('t', cyclic)).rejects.toMatchObject({
      code: 'ERR_PAYLOAD_INVALID',
    });
    await expect(new MqttPublisher(transport).publish('t', 10n)).rejects.toMatchObject({
      code: 'ERR_PAYLOAD_INVALID',
    });
    await expect(new MqttPublisher(transport).publish('t', () => 1)).rejects.toMatchObject({
      code: 'ERR_PAYLOAD_INVALID',
    });
  });
});

describe('encodePayload', () => {
  it('sends a Buffer as is, a Uint8Array view by its bytes, a string as UTF-8, undefined as empty', () => {
    const buffer = Buffer.from([1, 2, 3]);
    expect(encodePayload('t', buffer)).toBe(buffer);
    const view = new Uint8Array([9, 1, 2, 3, 9]).subarray(1, 4);
    expect([...encodePayload('t', view)]).toEqual([1, 2, 3]);
    expect(encodePayload('t', 'héllo').toString('utf8')).toBe('héllo');
    expect(encodePayload('t', undefined)).toHaveLength(0);
  });

  it('sends other values as JSON (numbers, booleans, null, arrays)', () => {
    expect(encodePayload('t', 42).toString()).toBe('42');
    expect(encodePayload('t', false).toString()).toBe('false');
    expect(encodePayload('t', null).toString()).toBe('null');
    expect(encodePayload('t', [1, 'a']).toString()).toBe('[1,"a"]');
  });
});
