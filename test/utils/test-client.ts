import mqtt, { type IClientPublishOptions, type MqttClient } from 'mqtt';
import { matchesFilter } from '../../src/routing/topic-filter';

/** A message a test client received. */
export interface ReceivedMessage {
  readonly topic: string;
  readonly payload: Buffer;
  readonly json: unknown;
  readonly properties: Record<string, unknown>;
}

/**
 * A plain mqtt.js client standing in for a device or an operator (`mosquitto_pub`/`mosquitto_sub`),
 * collecting what it receives so tests can wait for it.
 */
export class TestClient {
  readonly received: ReceivedMessage[] = [];
  #waiters: Array<{ filter: string; resolve: (m: ReceivedMessage) => void }> = [];

  private constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload, packet) => {
      const message = {
        topic,
        payload,
        json: parse(payload),
        properties: (packet.properties ?? {}) as Record<string, unknown>,
      };
      this.received.push(message);
      for (const waiter of this.#waiters.filter((w) => matchesFilter(w.filter, topic)))
        waiter.resolve(message);
      this.#waiters = this.#waiters.filter((w) => !matchesFilter(w.filter, topic));
    });
  }

  static async connect(url: string, protocolVersion: 4 | 5 = 5): Promise<TestClient> {
    const client = await mqtt.connectAsync(url, {
      protocolVersion,
      reconnectPeriod: 0,
      connectTimeout: 5000,
    });
    return new TestClient(client);
  }

  async subscribe(filter: string, qos: 0 | 1 | 2 = 1): Promise<void> {
    await this.client.subscribeAsync(filter, { qos });
  }

  async publish(topic: string, payload: unknown, options: IClientPublishOptions = {}): Promise<void> {
    const body = typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload);
    await this.client.publishAsync(topic, body, { qos: 1, ...options });
  }

  /** The first message (already received or coming) on a topic matching `filter`. */
  next(filter: string, timeoutMs = 5000): Promise<ReceivedMessage> {
    const already = this.received.find((m) => matchesFilter(filter, m.topic));
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `no message on '${filter}' within ${timeoutMs} ms; got: ${this.received.map((m) => m.topic).join(', ') || 'nothing'}`,
            ),
          ),
        timeoutMs,
      );
      this.#waiters.push({
        filter,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }
}

function parse(payload: Buffer): unknown {
  try {
    return JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
}
