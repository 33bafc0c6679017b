/**
 * Contract cases on MQTT semantics the in-memory broker imitates, so that it cannot drift from real
 * brokers: wildcard corners, `$` topics, retained-message replacement and QoS, per-topic order, and
 * share-group semantics (where the transport supports shared subscriptions).
 * @module
 */
import type { TransportCapabilities } from '../../src/transport/transport';
import { flush, uniqueToken, waitUntil } from './contract-helpers';
import type { ContractContext } from './transport.contract';

/** Registers the semantics cases in the current describe block. */
export function registerSemanticsCases(ctx: ContractContext, capabilities: TransportCapabilities): void {
  describe('topic and retained-message semantics', () => {
    it('a filter mixing + and # (p/+/x/#) matches the level wildcard and any depth after x', async () => {
      const p = ctx.prefix();
      const sub = await ctx.clients.connect('mixed-sub');
      await sub.transport.subscribe([
        { topic: `${p}/+/x/#`, qos: 1 },
        { topic: `${p}/marker`, qos: 1 },
      ]);
      const topics = [`${p}/a/x`, `${p}/a/x/1/2`, `${p}/a/y/x`, `${p}/x`, `${p}/a/b/x`];
      for (const topic of topics) await sub.transport.publish(topic, Buffer.from(topic), { qos: 1 });
      await flush(sub.transport, sub, `${p}/marker`);
      const got = sub.received.map((m) => m.topic).filter((t) => t !== `${p}/marker`);
      expect(got.sort()).toEqual([`${p}/a/x`, `${p}/a/x/1/2`].sort());
    });

    it('a filter starting with + does not match a topic starting with $, a literal $ filter does [MQTT-4.7.2-1]', async () => {
      const token = uniqueToken();
      const dollarTopic = `$rmq${token}/x`;
      const sub = await ctx.clients.connect('dollar-sub');
      await sub.transport.subscribe([
        { topic: `+/x`, qos: 1 },
        { topic: dollarTopic, qos: 1 },
      ]);
      await sub.transport.publish(dollarTopic, Buffer.from('d'), { qos: 1 });
      await waitUntil('the $ topic copy', () => sub.on(dollarTopic).length >= 1);
      await flush(sub.transport, sub, dollarTopic);
      // Two copies (the message, then the marker) through the literal filter; none through +/x.
      expect(sub.on(dollarTopic)).toHaveLength(2);
    });

    it('keeps one retained message per topic (the newest) and delivers it at the subscription QoS', async () => {
      const p = ctx.prefix();
      const pub = await ctx.clients.connect('retain-pub');
      await pub.transport.publish(`${p}/lamp`, Buffer.from('old'), { qos: 1, retain: true });
      await pub.transport.publish(`${p}/lamp`, Buffer.from('new'), { qos: 1, retain: true });
      const late = await ctx.clients.connect('retain-q0');
      await late.transport.subscribe([{ topic: `${p}/lamp`, qos: 0 }]);
      await waitUntil('the retained copy', () => late.received.length >= 1);
      await late.transport.subscribe([{ topic: `${p}/marker`, qos: 1 }]);
      await flush(pub.transport, late, `${p}/marker`);
      expect(late.on(`${p}/lamp`).map((m) => [m.payload.toString(), m.retain, m.qos])).toEqual([
        ['new', true, 0],
      ]);
      await pub.transport.publish(`${p}/lamp`, Buffer.alloc(0), { qos: 1, retain: true });
    });

    // MQTT 4.6 orders messages per topic and QoS: a QoS 2 message waits for PUBREL, so it may pass a QoS 1 one.
    for (const qos of [1, 2] as const) {
      it(`delivers the QoS ${qos} messages of one publisher on one topic in publish order`, async () => {
        const p = ctx.prefix();
        const sub = await ctx.clients.connect(`order${qos}-sub`);
        await sub.transport.subscribe([{ topic: `${p}/seq`, qos: 2 }]);
        const pub = await ctx.clients.connect(`order${qos}-pub`);
        const sends = Array.from({ length: 20 }, (_, i) =>
          pub.transport.publish(`${p}/seq`, Buffer.from(String(i)), { qos }),
        );
        await Promise.all(sends);
        await waitUntil('20 messages', () => sub.received.length >= 20);
        expect(sub.received.map((m) => [Number(m.payload.toString()), m.qos])).toEqual(
          [...Array(20).keys()].map((i) => [i, qos]),
        );
      });
    }
  });

  if (capabilities.sharedSubscriptions) {
    describe('share groups (capabilities.sharedSubscriptions)', () => {
      it('each share group gets every message once, and a plain subscriber on the filter gets its own copy', async () => {
        const p = ctx.prefix();
        const [a, b] = [`ga${uniqueToken()}`, `gb${uniqueToken()}`];
        const groupA = [await ctx.clients.connect('ga-1'), await ctx.clients.connect('ga-2')];
        const groupB = [await ctx.clients.connect('gb-1')];
        for (const member of groupA)
          await member.transport.subscribe([{ topic: `$share/${a}/${p}/t/+`, qos: 1 }]);
        for (const member of groupB)
          await member.transport.subscribe([{ topic: `$share/${b}/${p}/t/+`, qos: 1 }]);
        const plain = await ctx.clients.connect('plain');
        await plain.transport.subscribe([{ topic: `${p}/t/+`, qos: 1 }]);
        for (let i = 0; i < 10; i++)
          await plain.transport.publish(`${p}/t/${i}`, Buffer.from(String(i)), { qos: 1 });
        const count = (clients: typeof groupA) => clients.reduce((n, c) => n + c.received.length, 0);
        await waitUntil(
          '10 copies per group and 10 plain',
          () => count(groupA) >= 10 && count(groupB) >= 10 && plain.received.length >= 10,
        );
        for (const member of [...groupA, ...groupB, plain])
          await member.transport.subscribe([{ topic: `${p}/marker`, qos: 1 }]);
        for (const member of [...groupA, ...groupB, plain])
          await flush(plain.transport, member, `${p}/marker`);
        const jobs = (clients: typeof groupA) =>
          clients
            .flatMap((c) => c.received.filter((m) => m.topic !== `${p}/marker`))
            .map((m) => m.topic)
            .sort();
        const expected = [...Array(10).keys()].map((i) => `${p}/t/${i}`).sort();
        expect(jobs(groupA)).toEqual(expected);
        expect(jobs(groupB)).toEqual(expected);
        expect(jobs([plain])).toEqual(expected);
      });
    });
  }
}
