/**
 * Helpers of the embedded broker tests: start a broker with access rules, connect devices and read
 * the CONNACK code of a refused one.
 */
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import {
  startEmbeddedBroker,
  type EmbeddedBroker,
  type EmbeddedBrokerOptions,
} from '../../../src/transport/embedded-broker';
import { APP_USERNAME, type BrokerAccessOptions } from '../../../src/transport/embedded/broker-access';

export const APP_SECRET = 'app-secret-for-tests-only';

/** Brokers started by a test file, closed after each test. */
export class BrokerFixture {
  readonly #brokers: EmbeddedBroker[] = [];
  readonly #clients: MqttClient[] = [];

  async start(
    access: Partial<BrokerAccessOptions>,
    options: Partial<EmbeddedBrokerOptions> = {},
  ): Promise<EmbeddedBroker> {
    const broker = await startEmbeddedBroker({
      port: 0,
      access: {
        appSecret: APP_SECRET,
        appClientIds: ['the-app'],
        privatePrefixes: ['routemq/retry'],
        internalPrefixes: ['routemq/dead-letter'],
        ...access,
      },
      ...options,
    });
    this.#brokers.push(broker);
    return broker;
  }

  /** Connects (MQTT 3.1.1, no reconnect); rejects with the CONNACK error when refused. */
  async connect(
    port: number,
    options: IClientOptions = {},
    url = `mqtt://127.0.0.1:${port}`,
  ): Promise<MqttClient> {
    const client = await connectAsync(url, {
      protocolVersion: 4,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      ...options,
    });
    this.#clients.push(client);
    return client;
  }

  /** The app's own session: the reserved user name and the secret. */
  connectApp(port: number, clientId = 'the-app'): Promise<MqttClient> {
    return this.connect(port, { clientId, username: APP_USERNAME, password: APP_SECRET });
  }

  /** The CONNACK return code of a refused connection (0 when it was accepted). */
  async connackCode(port: number, options: IClientOptions, url?: string): Promise<number> {
    try {
      await this.connect(port, options, url);
      return 0;
    } catch (error) {
      return Number((error as { code?: unknown }).code);
    }
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.#clients.splice(0).map((client) => client.endAsync(true)));
    await Promise.all(this.#brokers.splice(0).map((broker) => broker.close()));
  }
}

/** Collects the messages a client receives. */
export function collect(client: MqttClient): { topic: string; payload: string }[] {
  const received: { topic: string; payload: string }[] = [];
  client.on('message', (topic, payload) => received.push({ topic, payload: payload.toString() }));
  return received;
}

/** The granted QoS per filter, 128 for a refused one (mqtt.js rejects when any is refused). */
export async function grantedQos(client: MqttClient, filters: string[]): Promise<number[]> {
  try {
    const granted = await client.subscribeAsync(filters, { qos: 1 });
    return granted.map((g) => g.qos);
  } catch (error) {
    const packet = (error as { packet?: { granted?: (number | { qos: number })[] } }).packet;
    if (!packet?.granted) throw error;
    return packet.granted.map((g) => (typeof g === 'number' ? g : g.qos));
  }
}
