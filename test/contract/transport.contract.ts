/**
 * The transport contract: one suite every Transport implementation must pass (memory, mqtt.js against
 * aedes, mqtt.js against Mosquitto). Optional features are chosen by capabilities: an unsupported one
 * gets a describe block that checks the flag is false, never a silently skipped test.
 * @module
 */
import type { TransportCapabilities } from '../../src/transport/transport';
import { ClientPool, type ContractEnv, flush, uniqueToken } from './contract-helpers';
import { registerDeliveryCases } from './delivery.cases';
import { registerMqtt5Cases } from './mqtt5.cases';
import { registerReliabilityCases } from './reliability.cases';
import { registerSemanticsCases } from './semantics.cases';

export type { ContractEnv } from './contract-helpers';

/** What each group of cases gets: the env, the client pool and this test's topic prefix. */
export interface ContractContext {
  env(): ContractEnv;
  readonly clients: ClientPool;
  /** A random prefix per test, so that a shared broker does not cross-talk. */
  prefix(): string;
}

/**
 * Registers the contract suite for one implementation. `capabilities` is needed when the suite is
 * declared (before makeEnv runs) to choose the describe blocks; a case checks that the clients report
 * the same flags.
 *
 * @example
 * ```ts
 * runTransportContract('MemoryTransport', async () => {
 *   const broker = new MemoryBroker();
 *   return { createClient: (id) => new MemoryTransport(broker, { clientId: id }), capabilities, close: async () => {} };
 * }, { sharedSubscriptions: true, subscriptionIdentifiers: true, properties: true });
 * ```
 */
export function runTransportContract(
  name: string,
  makeEnv: () => Promise<ContractEnv>,
  capabilities: TransportCapabilities,
): void {
  describe(`Transport contract: ${name}`, () => {
    // Above the 10 s arrival deadline, so that a missing message fails with waitUntil's message.
    jest.setTimeout(30_000);
    let env: ContractEnv | undefined;
    let prefix = '';
    const ctx: ContractContext = {
      env: () => {
        if (!env) throw new Error('the contract env failed to start (see beforeAll)');
        return env;
      },
      clients: new ClientPool(() => ctx.env()),
      prefix: () => prefix,
    };

    beforeAll(async () => {
      env = await makeEnv();
    });
    afterAll(async () => {
      await env?.close();
    });
    beforeEach(() => {
      prefix = `routemq-contract/${uniqueToken()}`;
    });
    afterEach(async () => {
      await ctx.clients.closeAll();
    });

    it('clients report the capabilities the environment declares', async () => {
      const client = await ctx.clients.connect('caps');
      expect(client.transport.capabilities).toMatchObject(capabilities);
      expect(ctx.env().capabilities).toMatchObject(capabilities);
    });

    registerDeliveryCases(ctx);
    registerMqtt5Cases(ctx, capabilities);
    registerReliabilityCases(ctx);
    registerSemanticsCases(ctx, capabilities);

    it('publish rejects a topic with +, # or NUL (ERR_PUBLISH_TOPIC_INVALID) and the connection stays usable', async () => {
      const p = ctx.prefix();
      const client = await ctx.clients.connect('bad-topic');
      await client.transport.subscribe([{ topic: `${p}/ok`, qos: 1 }]);
      for (const topic of [`${p}/+`, `${p}/#`, `${p}/a\u0000b`, `${p}/sport/#`, '']) {
        await expect(client.transport.publish(topic, Buffer.from('x'), { qos: 1 })).rejects.toMatchObject({
          code: 'ERR_PUBLISH_TOPIC_INVALID',
        });
      }
      await flush(client.transport, client, `${p}/ok`);
    });

    it('subscribe rejects a malformed filter (ERR_SUBSCRIBE_FAILED) and the connection stays usable', async () => {
      const p = ctx.prefix();
      const client = await ctx.clients.connect('bad-filter');
      await expect(client.transport.subscribe([{ topic: `${p}/#/x`, qos: 0 }])).rejects.toMatchObject({
        code: 'ERR_SUBSCRIBE_FAILED',
        message: expect.stringContaining(`${p}/#/x`),
      });
      await client.transport.subscribe([{ topic: `${p}/ok`, qos: 1 }]);
      await flush(client.transport, client, `${p}/ok`);
    });

    it('publish and subscribe on a closed transport reject with ERR_NOT_CONNECTED; close is idempotent', async () => {
      const client = await ctx.clients.connect('closed');
      await client.transport.close();
      await client.transport.close();
      await expect(client.transport.publish(`${ctx.prefix()}/x`, Buffer.from('x'))).rejects.toMatchObject({
        code: 'ERR_NOT_CONNECTED',
      });
      await expect(
        client.transport.subscribe([{ topic: `${ctx.prefix()}/x`, qos: 0 }]),
      ).rejects.toMatchObject({
        code: 'ERR_NOT_CONNECTED',
      });
    });

    it('a message reaches a subscriber connected after the publisher, and not before it subscribed', async () => {
      const p = ctx.prefix();
      const publisher = await ctx.clients.connect('early-pub');
      await publisher.transport.publish(`${p}/early`, Buffer.from('lost'), { qos: 1 });
      const late = await ctx.clients.connect('late-sub');
      await late.transport.subscribe([{ topic: `${p}/early`, qos: 1 }]);
      await flush(publisher.transport, late, `${p}/early`);
      expect(late.on(`${p}/early`).map((m) => m.payload.toString())).not.toContain('lost');
    });
  });
}
