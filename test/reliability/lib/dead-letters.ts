/**
 * Collects what the app publishes to the dead-letter topics, on its own persistent session so that
 * nothing published while it reconnects is missed.
 * @module
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
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

/**
 * The dead letters an app kept in its file store (`DEAD_LETTER_STORE=file` under `dataDir`), read
 * from the JSON-lines files as docs/reliability.md describes them: `add` events minus `removed` ones.
 */
export async function storedDeadLetters(dataDir: string): Promise<DeadLetterBody[]> {
  const folder = join(dataDir, 'dead-letters');
  const files = (await readdir(folder).catch(() => [] as string[])).filter((f) => f.endsWith('.jsonl'));
  const records = new Map<string, DeadLetterBody>();
  for (const file of files.sort()) {
    for (const line of (await readFile(join(folder, file), 'utf8')).split('\n')) {
      if (line.trim() === '') continue;
      const event = JSON.parse(line) as { add?: DeadLetterBody & { id: string }; removed?: string };
      if (event.add) records.set(event.add.id, event.add);
      if (event.removed) records.delete(event.removed);
    }
  }
  return [...records.values()];
}
