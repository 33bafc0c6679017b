/**
 * Contract cases for at-least-once processing: a QoS 1 delivery is handled to completion before the
 * next one of the same client, and a failing handler does not stall delivery.
 * @module
 */
import { sleep, waitUntil } from './contract-helpers';
import type { ContractContext } from './transport.contract';

/** Registers the reliability cases in the current describe block. */
export function registerReliabilityCases(ctx: ContractContext): void {
  it('a QoS 1 handler that has not settled holds the next message of the same client; publishes resolve', async () => {
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
    await waitUntil('m1 in the handler', () => events.includes('start m1'));
    // Both publishes were acknowledged by the broker; give m2 time to arrive if it were not held back.
    await sleep(200);
    expect(events).toEqual(['start m1']);
    release();
    await waitUntil('m2 handled', () => events.includes('end m2'));
    expect(events).toEqual(['start m1', 'end m1', 'start m2', 'end m2']);
  });

  // A handler error must still acknowledge (cb() without error): otherwise every failure holds one of
  // Mosquitto's 20 in-flight slots (max_inflight_messages) until delivery stops (DESIGN section 5).
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
}
