/**
 * Contract cases for at-least-once processing: deliveries are handed over without waiting for each
 * other, and a failing handler does not stall delivery.
 * @module
 */
import { sleep, waitUntil } from './contract-helpers';
import type { ContractContext } from './transport.contract';

/** Registers the reliability cases in the current describe block. */
export function registerReliabilityCases(ctx: ContractContext): void {
  it('hands the next QoS 1 message over while an earlier handler has not settled; publishes resolve', async () => {
    const p = ctx.prefix();
    const events: string[] = [];
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const sub = await ctx.clients.connect('order-sub', async (message) => {
      const name = message.payload.toString();
      events.push(`start ${name}`);
      if (name === 'm1') await gate;
      events.push(`end ${name}`);
    });
    await sub.transport.subscribe([{ topic: `${p}/ordered`, qos: 1 }]);
    const pub = await ctx.clients.connect('order-pub');
    await pub.transport.publish(`${p}/ordered`, Buffer.from('m1'), { qos: 1 });
    await pub.transport.publish(`${p}/ordered`, Buffer.from('m2'), { qos: 1 });
    // The transport does not serialise handlers (the dispatcher limits concurrency per route), so m2
    // is handled while m1 still waits; its acknowledgement is the one held back (ack-sequencer).
    await waitUntil('m2 handled while m1 waits', () => events.includes('end m2'));
    expect(events).toEqual(['start m1', 'start m2', 'end m2']);
    release();
    await waitUntil('m1 handled', () => events.includes('end m1'));
  });

  // A handler error must still acknowledge (cb() without error): otherwise every failure holds one of
  // Mosquitto's 20 in-flight slots (max_inflight_messages) until delivery stops.
  it('a handler that rejects does not stall delivery: 25 failing QoS 1 messages all reach it', async () => {
    const p = ctx.prefix();
    const sub = await ctx.clients.connect('fail-sub', async () => {
      throw new Error('handler failure (expected by the test)');
    });
    await sub.transport.subscribe([{ topic: `${p}/fail`, qos: 1 }]);
    const pub = await ctx.clients.connect('fail-pub');
    for (let i = 0; i < 25; i++) await pub.transport.publish(`${p}/fail`, Buffer.from(String(i)), { qos: 1 });
    await waitUntil('25 deliveries', () => sub.received.length >= 25);
    expect(sub.received.map((m) => Number(m.payload.toString()))).toEqual([...Array(25).keys()]);
  });

  // mqtt.js reads packets one at a time behind handleMessage: a transport that held that callback until
  // the handler finished would never see the PUBACK of the handler's own publish (MQTT.js#1935).
  it('a handler can await its own QoS 1 publish (no deadlock behind the held acknowledgement)', async () => {
    const p = ctx.prefix();
    const observer = await ctx.clients.connect('own-observer');
    await observer.transport.subscribe([{ topic: `${p}/reply`, qos: 1 }]);
    let replied = false;
    const worker = await ctx.clients.connect('own-worker', async (message) => {
      if (message.topic !== `${p}/request`) return;
      await worker.transport.publish(`${p}/reply`, Buffer.from('pong'), { qos: 1 });
      replied = true;
    });
    await worker.transport.subscribe([{ topic: `${p}/request`, qos: 1 }]);
    await observer.transport.publish(`${p}/request`, Buffer.from('ping'), { qos: 1 });
    await waitUntil('the handler to finish its publish', () => replied);
    await waitUntil('the reply', () => observer.on(`${p}/reply`).length === 1);
  });

  it('close() waits for the running handler, which can still publish, before disconnecting', async () => {
    const p = ctx.prefix();
    const observer = await ctx.clients.connect('close-observer');
    await observer.transport.subscribe([{ topic: `${p}/done`, qos: 1 }]);
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started = false;
    const worker = await ctx.clients.connect('close-worker', async () => {
      started = true;
      await gate;
      await worker.transport.publish(`${p}/done`, Buffer.from('finished'), { qos: 1 });
    });
    await worker.transport.subscribe([{ topic: `${p}/work`, qos: 1 }]);
    await observer.transport.publish(`${p}/work`, Buffer.from('job'), { qos: 1 });
    await waitUntil('the handler to start', () => started);
    let closed = false;
    const closing = worker.transport.close().then(() => (closed = true));
    await sleep(50);
    expect(closed).toBe(false);
    release();
    await closing;
    await waitUntil('the publish made during close', () => observer.on(`${p}/done`).length === 1);
  });
}
