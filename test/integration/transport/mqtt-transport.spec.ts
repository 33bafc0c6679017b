import { createServer, Socket, type Server } from 'node:net';
import { startEmbeddedBroker } from '../../../src/transport/embedded-broker';
import { MqttTransport } from '../../../src/transport/mqtt-transport';
import type { InboundMessage } from '../../../src/transport/transport';
import { sleep, waitUntil } from '../../contract/contract-helpers';
import { freePort } from '../../utils/free-port';
import { startMosquitto, type MosquittoInstance } from '../../utils/mosquitto';

/** Test-only access to the mqtt.js client (protected in MqttTransport for exactly this). */
class InspectableTransport extends MqttTransport {
  /** Drops the connection without DISCONNECT, as a crashed process would. */
  crash(): Promise<void> {
    return this.client.endAsync(true);
  }

  get socket(): unknown {
    return this.client.stream;
  }
}

// Broker restarts and keepalive-length handlers take seconds; waits inside fail with their own message first.
jest.setTimeout(20_000);

const never = (): Promise<void> => new Promise<void>(() => undefined);
const record = (into: InboundMessage[]) => async (message: InboundMessage) => void into.push(message);

describe('MqttTransport: connecting', () => {
  it('rejects promptly with ERR_BROKER_UNREACHABLE when nothing listens, without leaking the password', async () => {
    const port = await freePort();
    const transport = new MqttTransport({ url: `mqtt://routemq:s3cret@127.0.0.1:${port}` });
    expect(transport.description).toBe(`mqtt://routemq:****@127.0.0.1:${port}`);
    const error = await transport.connect(never).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_BROKER_UNREACHABLE' });
    const { message } = error as Error;
    expect(message).toContain(`mqtt://routemq:****@127.0.0.1:${port}`);
    expect(message).toContain('ECONNREFUSED');
    expect(message).toMatch(/MQTT_BROKER.*MQTT_PORT/);
    expect(message).not.toContain('s3cret');
    await transport.close();
  });

  describe('against a server that accepts TCP but never answers CONNECT', () => {
    let server: Server;
    const sockets: Socket[] = [];
    beforeAll(async () => {
      server = createServer((socket: Socket) => {
        sockets.push(socket);
        socket.on('error', () => undefined);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('rejects after connectTimeoutMs and stops trying (no reconnect loop)', async () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const transport = new MqttTransport({ url: `mqtt://127.0.0.1:${port}`, connectTimeoutMs: 300 });
      await expect(transport.connect(never)).rejects.toMatchObject({
        code: 'ERR_BROKER_UNREACHABLE',
        message: expect.stringContaining('connack timeout'),
      });
      // mqtt.js would retry every 1000 ms if the client had not been stopped.
      await sleep(1500);
      expect(sockets).toHaveLength(1);
    });
  });

  it('sets TCP_NODELAY on the socket', async () => {
    const broker = await startEmbeddedBroker({ port: 0 });
    const spy = jest.spyOn(Socket.prototype, 'setNoDelay');
    try {
      const transport = new InspectableTransport({
        url: `mqtt://127.0.0.1:${broker.port}`,
        protocolVersion: 4,
      });
      await transport.connect(never);
      const call = spy.mock.contexts.indexOf(transport.socket as Socket);
      expect(call).toBeGreaterThanOrEqual(0);
      expect(spy.mock.calls[call]).toEqual([true]);
      await transport.close();
    } finally {
      spy.mockRestore();
      await broker.close();
    }
  });
});

describe('MqttTransport against a dedicated Mosquitto', () => {
  const { track, broker } = useDedicatedMosquitto();
  let mosquitto: MosquittoInstance;
  beforeAll(() => {
    mosquitto = broker();
  });

  it('acknowledges only after the handler: a message whose handler never settled is redelivered (dup) to the same session', async () => {
    const session = {
      url: mosquitto.url,
      clientId: 'rmq-redelivery',
      clean: false,
      sessionExpiryInterval: 300,
    };
    // closeTimeoutMs: its handler never settles, so close() (afterEach) would wait the default 10 s for it.
    const first = track(new InspectableTransport({ ...session, closeTimeoutMs: 100 }));
    const firstSeen: InboundMessage[] = [];
    await first.connect(async (message) => {
      firstSeen.push(message);
      await never();
    });
    await first.subscribe([{ topic: 'jobs/+', qos: 1 }]);
    const publisher = track(new MqttTransport({ url: mosquitto.url }));
    await publisher.connect(never);
    await publisher.publish('jobs/1', Buffer.from('work'), { qos: 1 });
    await waitUntil('the first delivery', () => firstSeen.length === 1);
    expect(firstSeen[0].dup).toBe(false);

    await first.crash();
    const secondSeen: InboundMessage[] = [];
    const second = track(new MqttTransport(session));
    await second.connect(record(secondSeen));
    await waitUntil('the redelivery', () => secondSeen.length === 1);
    expect(secondSeen[0]).toMatchObject({ topic: 'jobs/1', qos: 1, dup: true });
    expect(secondSeen[0].payload.toString()).toBe('work');

    // The second handler resolved, so the message was acknowledged: a third session gets only new work.
    await second.close();
    const thirdSeen: InboundMessage[] = [];
    const third = track(new MqttTransport(session));
    await third.connect(record(thirdSeen));
    await publisher.publish('jobs/2', Buffer.from('marker'), { qos: 1 });
    await waitUntil('the marker', () => thirdSeen.length >= 1);
    expect(thirdSeen.map((m) => m.payload.toString())).toEqual(['marker']);
  });

  it('reconnects after a broker restart, resubscribes and delivers again', async () => {
    const seen: InboundMessage[] = [];
    const transport = track(new MqttTransport({ url: mosquitto.url }));
    await transport.connect(record(seen));
    await transport.subscribe([{ topic: 'restart/+', qos: 1, id: 3 }]);
    await mosquitto.restart();
    const publisher = track(new MqttTransport({ url: mosquitto.url }));
    await publisher.connect(never);
    await waitUntil('a delivery after the restart', () => {
      void publisher.publish('restart/1', Buffer.from('again'), { qos: 0 });
      return seen.length > 0;
    });
    expect(seen[0].properties.subscriptionIdentifier).toBe(3);
  });

  it('sends a QoS 1 publish made while the broker is down once it is back (the pending store survives)', async () => {
    const publisher = track(
      new MqttTransport({ url: mosquitto.url, reconnectMinMs: 50, reconnectMaxMs: 200 }),
    );
    await publisher.connect(never);
    await mosquitto.kill('SIGTERM');
    // Retained, so that a subscriber arriving after the restart can see it was really sent.
    const pending = publisher.publish('offline/1', Buffer.from('kept'), { qos: 1, retain: true });
    await sleep(300);
    await mosquitto.restart();
    await pending;
    const seen: InboundMessage[] = [];
    const subscriber = track(new MqttTransport({ url: mosquitto.url }));
    await subscriber.connect(record(seen));
    await subscriber.subscribe([{ topic: 'offline/+', qos: 1 }]);
    await waitUntil('the offline publish delivered', () => seen.some((m) => m.payload.toString() === 'kept'));
  });

  it('close() fails publishes the broker never acknowledged (broker down) instead of hanging', async () => {
    const transport = track(new MqttTransport({ url: mosquitto.url, closeTimeoutMs: 200 }));
    await transport.connect(never);
    await mosquitto.kill('SIGKILL');
    const pending = transport.publish('offline/1', Buffer.from('x'), { qos: 1 });
    await transport.close();
    await expect(pending).rejects.toMatchObject({ code: 'ERR_NOT_CONNECTED' });
    await mosquitto.restart();
  });
});

describe('MqttTransport: SUBACK failures', () => {
  it('rejects with ERR_SUBSCRIBE_FAILED naming the refused filter and the reason', async () => {
    const { Aedes } = await import('aedes');
    const aedes = await Aedes.createBroker({
      authorizeSubscribe: (_client, subscription, callback) =>
        callback(null, subscription.topic.startsWith('denied/') ? null : subscription),
    });
    const server = createServer((socket) => aedes.handle(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const transport = new MqttTransport({ url: `mqtt://127.0.0.1:${port}`, protocolVersion: 4 });
    try {
      await transport.connect(never);
      const error = await transport
        .subscribe([
          { topic: 'allowed/x', qos: 1 },
          { topic: 'denied/x', qos: 1 },
        ])
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'ERR_SUBSCRIBE_FAILED' });
      expect((error as Error).message).toContain('denied/x (reason 0x80');
      expect((error as Error).message).not.toContain('allowed/x');
    } finally {
      await transport.close();
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('MqttTransport: handlers and the connection', () => {
  const { track, broker } = useDedicatedMosquitto();
  let mosquitto: MosquittoInstance;
  beforeAll(() => {
    mosquitto = broker();
  });

  it('a handler slower than 1.5x keepalive neither drops the connection nor gets its message redelivered (MQTT.js#1935)', async () => {
    const events: string[] = [];
    const logger = {
      info: (_: object, msg?: string) => void events.push(`info ${msg}`),
      warn: (_: object, msg?: string) => void events.push(`warn ${msg}`),
      error: (_: object, msg?: string) => void events.push(`error ${msg}`),
      debug: () => undefined,
    };
    const session = {
      url: mosquitto.url,
      clientId: 'rmq-slow',
      clean: false,
      sessionExpiryInterval: 300,
      keepalive: 1,
    };
    const seen: InboundMessage[] = [];
    const slow = track(new MqttTransport(session, logger));
    await slow.connect(async (message) => {
      seen.push(message);
      if (message.topic === 'slow/work') await sleep(2500);
    });
    await slow.subscribe([{ topic: 'slow/+', qos: 1 }]);
    const publisher = track(new MqttTransport({ url: mosquitto.url }));
    await publisher.connect(never);
    await publisher.publish('slow/work', Buffer.from('long job'), { qos: 1 });
    await publisher.publish('slow/marker', Buffer.from('after'), { qos: 1 });
    await waitUntil('the marker after the slow message', () => seen.some((m) => m.topic === 'slow/marker'));
    expect(seen.map((m) => m.topic)).toEqual(['slow/work', 'slow/marker']);
    expect(events).toEqual(['info connected to the MQTT broker']);
  });

  it('close() handles the messages already received and acknowledges them before disconnecting', async () => {
    const session = { url: mosquitto.url, clientId: 'rmq-drain', clean: false, sessionExpiryInterval: 300 };
    const seen: string[] = [];
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const worker = track(new MqttTransport(session));
    await worker.connect(async (message) => {
      if (message.payload.toString() === 'm1') await gate;
      seen.push(message.payload.toString());
    });
    await worker.subscribe([{ topic: 'drain/+', qos: 1 }]);
    const publisher = track(new MqttTransport({ url: mosquitto.url }));
    await publisher.connect(never);
    await publisher.publish('drain/1', Buffer.from('m1'), { qos: 1 });
    await publisher.publish('drain/2', Buffer.from('m2'), { qos: 1 });
    await sleep(200); // let m2 reach the worker, handled while m1 waits (its ack held behind m1's)
    const closing = worker.close();
    release();
    await closing;
    expect(seen).toEqual(['m2', 'm1']);

    // Both were acknowledged: the same session, resumed, gets only new messages.
    const again: string[] = [];
    const resumed = track(new MqttTransport(session));
    await resumed.connect(async (message) => void again.push(message.payload.toString()));
    await publisher.publish('drain/3', Buffer.from('m3'), { qos: 1 });
    await waitUntil('m3', () => again.includes('m3'));
    expect(again).toEqual(['m3']);
  });
});

/**
 * A Mosquitto of the describe block's own (started before, stopped after) and the transports its tests
 * open, closed after each test.
 */
function useDedicatedMosquitto() {
  let mosquitto: MosquittoInstance | undefined;
  const open: MqttTransport[] = [];
  beforeAll(async () => {
    mosquitto = await startMosquitto();
  });
  afterAll(async () => {
    await mosquitto?.stop();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((transport) => transport.close()));
  });
  return {
    broker: (): MosquittoInstance => {
      if (!mosquitto) throw new Error('the dedicated Mosquitto has not started');
      return mosquitto;
    },
    track: <T extends MqttTransport>(transport: T): T => {
      open.push(transport);
      return transport;
    },
  };
}
