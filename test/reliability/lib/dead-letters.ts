/**
 * Collects what the app publishes to the dead-letter topics, on its own persistent session so that
 * nothing published while it reconnects is missed.
 * @module
 */
import mqtt, { type MqttClient } from 'mqtt';

/** The fields of a dead letter the suite checks (src/pipeline/dead-letter.ts has them all). */
export interface DeadLetterBody {
  readonly topic: string;
  readonly payload?: string;
  readonly payloadEncoding: 'utf8' | 'base64' | 'omitted';
  readonly error: { readonly code?: string; readonly name: string; readonly message: string };
  readonly attempts: number;
  readonly route: string;
}

export const DEAD_LETTER_FILTER = 'routemq/dead-letter/#';

export class DeadLetterCollector {
  readonly letters: DeadLetterBody[] = [];

  private constructor(private readonly client: MqttClient) {
    client.on('message', (_topic, payload) =>
      this.letters.push(JSON.parse(payload.toString()) as DeadLetterBody),
    );
  }

  static async connect(url: string, clientId: string): Promise<DeadLetterCollector> {
    const client = await mqtt.connectAsync(url, {
      clientId,
      clean: false,
      protocolVersion: 5,
      properties: { sessionExpiryInterval: 3600 },
      reconnectPeriod: 500,
    });
    client.on('error', () => undefined);
    await client.subscribeAsync(DEAD_LETTER_FILTER, { qos: 1 });
    return new DeadLetterCollector(client);
  }

  /** Dead letters per original topic. */
  byTopic(): Map<string, DeadLetterBody[]> {
    const map = new Map<string, DeadLetterBody[]>();
    for (const letter of this.letters) map.set(letter.topic, [...(map.get(letter.topic) ?? []), letter]);
    return map;
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}
