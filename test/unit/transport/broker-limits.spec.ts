import { capabilitiesFrom, missingFeatures } from '../../../src/transport/broker-capabilities';
import { toSubscribeCalls } from '../../../src/transport/mqtt-mapping';
import { ClosedBeforeConnack, isProtocolRefusal } from '../../../src/transport/protocol-negotiation';
import { clampQoS, publishPacketSize } from '../../../src/transport/publish-limits';
import { parseAutoBoolean, parseMaxQoS, parseProtocolChoice } from '../../../src/app/broker-config-parsers';
import type { IConnackPacket } from 'mqtt';

const connack = (properties: IConnackPacket['properties']): IConnackPacket => ({
  cmd: 'connack',
  sessionPresent: false,
  reasonCode: 0,
  properties,
});

describe('capabilitiesFrom (MQTT 5.0 section 3.2.2.3)', () => {
  it('an absent property is the permissive value [MQTT-3.2.2-9]', () => {
    expect(capabilitiesFrom(5, connack({}), {})).toMatchObject({
      sharedSubscriptions: true,
      subscriptionIdentifiers: true,
      maximumQoS: 2,
      retainAvailable: true,
      maximumPacketSize: undefined,
    });
  });

  it('reads what the broker turns off', () => {
    const caps = capabilitiesFrom(
      5,
      connack({
        sharedSubscriptionAvailable: false,
        subscriptionIdentifiersAvailable: false,
        maximumQoS: 1,
        retainAvailable: false,
        maximumPacketSize: 131072,
        receiveMaximum: 10,
        topicAliasMaximum: 5,
      }),
      {},
    );
    expect(caps).toMatchObject({ sharedSubscriptions: false, subscriptionIdentifiers: false, maximumQoS: 1 });
    expect(caps).toMatchObject({ retainAvailable: false, maximumPacketSize: 131072, receiveMaximum: 10 });
    expect(missingFeatures(caps)).toEqual([
      'subscription identifiers (routes are matched by the topic trie alone)',
      'shared subscriptions (shared routes served by one process)',
      'QoS above 1 (clamped)',
      'retained messages',
    ]);
  });

  it('MQTT 3.1.1: no properties, no identifiers, shared only when configured, QoS capped by MQTT_MAX_QOS', () => {
    expect(capabilitiesFrom(4, undefined, {})).toMatchObject({
      sharedSubscriptions: false,
      properties: false,
    });
    expect(capabilitiesFrom(4, undefined, { sharedSubscriptions: true, maxQoS: 1 })).toMatchObject({
      sharedSubscriptions: true,
      maximumQoS: 1,
    });
    expect(capabilitiesFrom(5, connack({}), { sharedSubscriptions: false }).sharedSubscriptions).toBe(false);
  });
});

describe('protocol refusals', () => {
  it.each([
    [Object.assign(new Error('Connection refused: Unacceptable protocol version'), { code: 1 }), true],
    [Object.assign(new Error('Unsupported Protocol Version'), { code: 0x84 }), true],
    [new ClosedBeforeConnack(), true],
    [Object.assign(new Error('Not authorized'), { code: 5 }), false],
    [Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), false],
    // Classified by code, never by message text.
    [new Error('Unacceptable protocol version'), false],
  ])('%p is a refusal of the version: %p', (error, refusal) => {
    expect(isProtocolRefusal(error)).toBe(refusal);
  });
});

describe('publish limits', () => {
  it('clamps QoS to the maximum', () => {
    expect(clampQoS(2, { maximumQoS: 1 })).toBe(1);
    expect(clampQoS(1, { maximumQoS: 1 })).toBe(1);
    expect(clampQoS(2, {})).toBe(2);
  });

  it('computes the PUBLISH packet size (MQTT 5.0 section 3.3)', () => {
    // 1 fixed + 1 length + (2 + 1 topic + 2 id + 10 payload)
    expect(publishPacketSize('a', Buffer.alloc(10), { qos: 1 }, false)).toBe(17);
    // MQTT 5 adds the property length (1) and a response topic (1 + 2 + 3)
    expect(
      publishPacketSize('a', Buffer.alloc(10), { qos: 1, properties: { responseTopic: 'r/x' } }, true),
    ).toBe(24);
    // remaining length 200 takes two bytes
    expect(publishPacketSize('a', Buffer.alloc(197), { qos: 0 }, false)).toBe(203);
  });
});

describe('toSubscribeCalls with MQTT_MAX_FILTERS_PER_SUBSCRIBE', () => {
  it('puts at most N filters in one SUBSCRIBE (AWS IoT Core: 8)', () => {
    const requests = Array.from({ length: 10 }, (_, i) => ({ topic: `t/${i}`, qos: 1 as const }));
    const calls = toSubscribeCalls(requests, false, 8);
    expect(calls.map((c) => c.requests.length)).toEqual([8, 2]);
    expect(toSubscribeCalls(requests, false).map((c) => c.requests.length)).toEqual([10]);
  });
});

describe('broker configuration parsers', () => {
  it.each([
    ['', 'auto'],
    ['auto', 'auto'],
    ['5', 5],
    ['4', 4],
    ['3.1.1', 4],
  ])('MQTT_PROTOCOL_VERSION=%p is %p', (raw, value) => {
    expect(parseProtocolChoice(raw)).toEqual({ value });
  });

  it('refuses other versions, shared values and QoS levels with the allowed values', () => {
    expect(parseProtocolChoice('3')).toMatchObject({
      problem: expect.stringContaining('auto (default), 5, or 4'),
    });
    expect(parseAutoBoolean('maybe')).toMatchObject({
      problem: expect.stringContaining('auto, true or false'),
    });
    expect(parseMaxQoS('3')).toMatchObject({ problem: expect.stringContaining('0, 1 or 2') });
    expect(parseAutoBoolean('auto')).toEqual({ value: undefined });
    expect(parseAutoBoolean('true')).toEqual({ value: true });
    expect(parseMaxQoS('1')).toEqual({ value: 1 });
  });
});
