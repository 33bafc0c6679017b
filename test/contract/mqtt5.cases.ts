/**
 * Contract cases for optional features (MQTT 5 properties, subscription identifiers, shared
 * subscriptions). Each has two describe blocks chosen by the capability flag: the feature's cases, or
 * one case checking that the transport does report it as unsupported.
 * @module
 */
import type { TransportCapabilities } from '../../src/transport/transport';
import { flush, idsOf, uniqueToken, waitUntil } from './contract-helpers';
import type { ContractContext } from './transport.contract';

/** Registers the optional-feature cases in the current describe block. */
export function registerMqtt5Cases(ctx: ContractContext, capabilities: TransportCapabilities): void {
  if (capabilities.properties)
    describe('MQTT 5 properties (capabilities.properties)', () => propertyCases(ctx));
  else describeUnsupported(ctx, 'properties');

  if (capabilities.subscriptionIdentifiers) {
    describe('subscription identifiers (capabilities.subscriptionIdentifiers)', () => identifierCases(ctx));
  } else describeUnsupported(ctx, 'subscriptionIdentifiers');

  if (capabilities.sharedSubscriptions) {
    describe('shared subscriptions (capabilities.sharedSubscriptions)', () => sharedCases(ctx));
  } else describeUnsupported(ctx, 'sharedSubscriptions');
}

function describeUnsupported(ctx: ContractContext, flag: keyof TransportCapabilities): void {
  describe(`${flag}: not supported by this transport, so its cases do not apply`, () => {
    it(`reports capabilities.${flag} = false`, async () => {
      const client = await ctx.clients.connect(`no-${flag}`);
      expect(client.transport.capabilities[flag]).toBe(false);
    });
  });
}

function propertyCases(ctx: ContractContext): void {
  it('carries responseTopic, correlationData, userProperties and contentType', async () => {
    const p = ctx.prefix();
    const sub = await ctx.clients.connect('props-sub');
    const pub = await ctx.clients.connect('props-pub');
    await sub.transport.subscribe([{ topic: `${p}/request`, qos: 1 }]);
    await pub.transport.publish(`${p}/request`, Buffer.from('{}'), {
      qos: 1,
      properties: {
        responseTopic: `${p}/reply/1`,
        correlationData: Buffer.from([1, 2, 3]),
        userProperties: { tenant: 'acme', tag: ['a', 'b'] },
        contentType: 'application/json',
      },
    });
    await waitUntil('the request', () => sub.received.length === 1);
    const { properties } = sub.received[0];
    expect(properties.responseTopic).toBe(`${p}/reply/1`);
    expect(Buffer.isBuffer(properties.correlationData)).toBe(true);
    expect(properties.correlationData?.equals(Buffer.from([1, 2, 3]))).toBe(true);
    expect(properties.userProperties).toEqual({ tenant: 'acme', tag: ['a', 'b'] });
    expect(properties.contentType).toBe('application/json');
  });
}

function identifierCases(ctx: ContractContext): void {
  it('echoes the identifier of the matching subscription', async () => {
    const p = ctx.prefix();
    const sub = await ctx.clients.connect('id-sub');
    await sub.transport.subscribe([
      { topic: `${p}/a/+`, qos: 1, id: 7 },
      { topic: `${p}/b`, qos: 1 },
    ]);
    await sub.transport.publish(`${p}/a/1`, Buffer.from('a'), { qos: 1 });
    await sub.transport.publish(`${p}/b`, Buffer.from('b'), { qos: 1 });
    await waitUntil('both messages', () => sub.received.length === 2);
    expect(idsOf(sub.on(`${p}/a/1`)[0])).toEqual([7]);
    expect(idsOf(sub.on(`${p}/b`)[0])).toEqual([]);
  });

  // MQTT 5.0 section 3.3.4 allows one copy carrying both ids or one copy per subscription (Mosquitto).
  it('with overlapping subscriptions every matching identifier is delivered, in one or several copies', async () => {
    const p = ctx.prefix();
    const sub = await ctx.clients.connect('ids-sub');
    await sub.transport.subscribe([
      { topic: `${p}/x/#`, qos: 1, id: 11 },
      { topic: `${p}/x/+`, qos: 1, id: 12 },
      { topic: `${p}/marker`, qos: 1 },
    ]);
    await sub.transport.publish(`${p}/x/1`, Buffer.from('x'), { qos: 1 });
    await flush(sub.transport, sub, `${p}/marker`);
    const copies = sub.on(`${p}/x/1`);
    expect(copies.length).toBeGreaterThanOrEqual(1);
    expect(copies.length).toBeLessThanOrEqual(2);
    expect(copies.flatMap(idsOf).sort()).toEqual([11, 12]);
  });
}

function sharedCases(ctx: ContractContext): void {
  it('spreads messages over a share group: each of 20 delivered exactly once, both members get some', async () => {
    const p = ctx.prefix();
    const group = `g${uniqueToken()}`;
    const members = [await ctx.clients.connect('share-a'), await ctx.clients.connect('share-b')];
    for (const member of members)
      await member.transport.subscribe([{ topic: `$share/${group}/${p}/jobs/+`, qos: 1 }]);
    const pub = await ctx.clients.connect('share-pub');
    for (let i = 0; i < 20; i++)
      await pub.transport.publish(`${p}/jobs/${i}`, Buffer.from(String(i)), { qos: 1 });

    const all = () => members.flatMap((m) => m.received);
    await waitUntil('20 shared deliveries', () => all().length >= 20);
    for (const member of members) await member.transport.subscribe([{ topic: `${p}/marker`, qos: 1 }]);
    for (const member of members) await flush(pub.transport, member, `${p}/marker`);

    const jobs = all().filter((m) => m.topic !== `${p}/marker`);
    expect(jobs.map((m) => Number(m.payload.toString())).sort((a, b) => a - b)).toEqual([
      ...Array(20).keys(),
    ]);
    for (const member of members)
      expect(member.received.filter((m) => m.topic !== `${p}/marker`).length).toBeGreaterThan(0);
    expect(jobs.every((m) => m.topic.startsWith(`${p}/jobs/`))).toBe(true);
  });
}
