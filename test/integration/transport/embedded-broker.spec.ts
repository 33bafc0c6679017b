import { connectAsync } from 'mqtt';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../../src/transport/embedded-broker';
import { MqttTransport } from '../../../src/transport/mqtt-transport';
import type { InboundMessage } from '../../../src/transport/transport';
import { waitUntil } from '../../contract/contract-helpers';

describe('startEmbeddedBroker', () => {
  const started: EmbeddedBroker[] = [];
  const start = async (port: number): Promise<EmbeddedBroker> => {
    const broker = await startEmbeddedBroker({ port });
    started.push(broker);
    return broker;
  };
  afterEach(async () => {
    await Promise.all(started.splice(0).map((broker) => broker.close()));
  });

  it('with port 0 listens on a free port and routes messages', async () => {
    const broker = await start(0);
    expect(broker.port).toBeGreaterThan(0);
    const transport = new MqttTransport({ url: `mqtt://127.0.0.1:${broker.port}`, protocolVersion: 4 });
    const received: InboundMessage[] = [];
    await transport.connect(async (message) => void received.push(message));
    await transport.subscribe([{ topic: 'hello/+', qos: 1 }]);
    await transport.publish('hello/world', Buffer.from('hi'), { qos: 1 });
    await waitUntil('the message', () => received.length === 1);
    expect(received[0].payload.toString()).toBe('hi');
    await transport.close();
  });

  it('rejects with ERR_BROKER_PORT_IN_USE naming the port, MQTT_BROKER and MQTT_PORT when the port is taken', async () => {
    const first = await start(0);
    const second = startEmbeddedBroker({ port: first.port });
    await expect(second).rejects.toMatchObject({ code: 'ERR_BROKER_PORT_IN_USE' });
    const message = await second.catch((error: Error) => error.message);
    expect(message).toContain(`port ${first.port} is already in use`);
    expect(message).toContain(`MQTT_BROKER=mqtt://127.0.0.1:${first.port}`);
    expect(message).toContain('MQTT_PORT');
  });

  it('close drops connected clients, frees the port and is idempotent', async () => {
    const broker = await start(0);
    const client = await connectAsync(`mqtt://127.0.0.1:${broker.port}`, {
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    await broker.close();
    await broker.close();
    await closed;
    const again = await start(broker.port);
    expect(again.port).toBe(broker.port);
    await client.endAsync(true);
  });
});
