/**
 * Contract cases every transport supports: routing by filter, unsubscribe, QoS downgrade, retained.
 * @module
 */
import { flush, waitUntil } from './contract-helpers';
import type { ContractContext } from './transport.contract';

/** Registers the delivery cases in the current describe block. */
export function registerDeliveryCases(ctx: ContractContext): void {
  it('delivers a message published on the exact topic, payload bytes intact, retain false', async () => {
    const p = ctx.prefix();
    const sub = await ctx.clients.connect('exact-sub');
    const pub = await ctx.clients.connect('exact-pub');
    await sub.transport.subscribe([{ topic: `${p}/room/1`, qos: 1 }]);
    const payload = Buffer.from([0, 1, 2, 250, 255]);
    await pub.transport.publish(`${p}/room/1`, payload, { qos: 1 });
    await waitUntil('the message', () => sub.received.length === 1);
    expect(sub.received[0]).toMatchObject({ topic: `${p}/room/1`, qos: 1, retain: false, dup: false });
    expect(Buffer.isBuffer(sub.received[0].payload)).toBe(true);
    expect(sub.received[0].payload.equals(payload)).toBe(true);
  });

  it('a + filter matches exactly one level', async () => {
    const p = ctx.prefix();
    const sub = await ctx.clients.connect('plus-sub');
    await sub.transport.subscribe([
      { topic: `${p}/+/temp`, qos: 0 },
      { topic: `${p}/marker`, qos: 1 },
    ]);
    for (const topic of [`${p}/a/temp`, `${p}/a/b/temp`, `${p}/temp`, `${p}//temp`]) {
      await sub.transport.publish(topic, Buffer.from(topic), { qos: 1 });
    }
    await flush(sub.transport, sub, `${p}/marker`);
    const topics = sub.received.map((m) => m.topic).filter((t) => t !== `${p}/marker`);
    expect(topics.sort()).toEqual([`${p}//temp`, `${p}/a/temp`].sort());
  });

  it('a # filter matches the parent level and any depth below it (sport/# matches sport)', async () => {
    const p = ctx.prefix();
    const sub = await ctx.clients.connect('hash-sub');
    await sub.transport.subscribe([
      { topic: `${p}/sport/#`, qos: 0 },
      { topic: `${p}/marker`, qos: 1 },
    ]);
    for (const topic of [`${p}/sport`, `${p}/sport/tennis`, `${p}/sport/tennis/player1`, `${p}/sportx`]) {
      await sub.transport.publish(topic, Buffer.from(topic), { qos: 1 });
    }
    await flush(sub.transport, sub, `${p}/marker`);
    const topics = sub.received.map((m) => m.topic).filter((t) => t !== `${p}/marker`);
    expect(topics.sort()).toEqual([`${p}/sport`, `${p}/sport/tennis`, `${p}/sport/tennis/player1`].sort());
  });

  it('delivers nothing after unsubscribe', async () => {
    const p = ctx.prefix();
    const sub = await ctx.clients.connect('unsub-sub');
    const pub = await ctx.clients.connect('unsub-pub');
    await sub.transport.subscribe([
      { topic: `${p}/news`, qos: 1 },
      { topic: `${p}/marker`, qos: 1 },
    ]);
    await pub.transport.publish(`${p}/news`, Buffer.from('before'), { qos: 1 });
    await waitUntil('the first message', () => sub.on(`${p}/news`).length === 1);
    await sub.transport.unsubscribe([`${p}/news`]);
    await pub.transport.publish(`${p}/news`, Buffer.from('after'), { qos: 1 });
    await flush(pub.transport, sub, `${p}/marker`);
    expect(sub.on(`${p}/news`).map((m) => m.payload.toString())).toEqual(['before']);
  });

  it('delivers at the lower of the publish QoS and the subscription QoS', async () => {
    const p = ctx.prefix();
    const sub = await ctx.clients.connect('qos-sub');
    const pub = await ctx.clients.connect('qos-pub');
    await sub.transport.subscribe([
      { topic: `${p}/q0`, qos: 0 },
      { topic: `${p}/q1`, qos: 1 },
      { topic: `${p}/q2`, qos: 2 },
    ]);
    const cases = [
      { topic: `${p}/q0`, publish: 2, expected: 0 },
      { topic: `${p}/q1`, publish: 2, expected: 1 },
      { topic: `${p}/q2`, publish: 1, expected: 1 },
      { topic: `${p}/q2`, publish: 0, expected: 0 },
      { topic: `${p}/q2`, publish: 2, expected: 2 },
    ] as const;
    for (const [i, c] of cases.entries()) {
      await pub.transport.publish(c.topic, Buffer.from(String(i)), { qos: c.publish });
    }
    await waitUntil('five messages', () => sub.received.length === cases.length);
    for (const [i, c] of cases.entries()) {
      const message = sub.received.find((m) => m.payload.toString() === String(i));
      expect({ case: i, qos: message?.qos }).toEqual({ case: i, qos: c.expected });
      if (c.expected > 0) expect(message?.messageId).toEqual(expect.any(Number));
    }
  });

  it('a retained message reaches a later subscriber with retain=true; an empty payload clears it', async () => {
    const p = ctx.prefix();
    const topic = `${p}/state`;
    const live = await ctx.clients.connect('retain-live');
    await live.transport.subscribe([{ topic, qos: 1 }]);
    await live.transport.publish(topic, Buffer.from('on'), { qos: 1, retain: true });
    await waitUntil('the live copy', () => live.on(topic).length === 1);
    expect(live.on(topic)[0].retain).toBe(false);

    const late = await ctx.clients.connect('retain-late');
    await late.transport.subscribe([{ topic: `${p}/#`, qos: 1 }]);
    await waitUntil('the retained copy', () => late.on(topic).length === 1);
    expect(late.on(topic)[0]).toMatchObject({ retain: true, qos: 1 });
    expect(late.on(topic)[0].payload.toString()).toBe('on');

    await live.transport.publish(topic, Buffer.alloc(0), { qos: 1, retain: true });
    const after = await ctx.clients.connect('retain-after');
    await after.transport.subscribe([
      { topic, qos: 1 },
      { topic: `${p}/marker`, qos: 1 },
    ]);
    await flush(live.transport, after, `${p}/marker`);
    expect(after.on(topic)).toEqual([]);
  });
}
