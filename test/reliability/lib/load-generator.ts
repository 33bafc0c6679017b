/**
 * The load generator: a separate mqtt.js client in the runner process with a persistent session,
 * publishing QoS 1 messages with unique ids. An id counts as sent only once the broker acknowledged it
 * with reason code 0 (mqtt.js also resolves on 16, "no matching subscribers": that one is counted as a
 * failure, because the message reached no session and the oracle could not judge it).
 * @module
 */
import mqtt, { type IClientPublishOptions, type MqttClient } from 'mqtt';

/** One message to publish. */
export interface Outgoing {
  readonly topic: string;
  readonly payload: Buffer | string;
  /** Counted in `sent` once acknowledged; messages without one are not part of the loss count. */
  readonly id?: string;
  /** MQTT 5 properties (e.g. a response topic). */
  readonly properties?: IClientPublishOptions['properties'];
}

/** How to publish a batch. */
export interface PublishPlan {
  /** Messages per second; unset: as fast as the window allows. */
  readonly ratePerSec?: number;
  /** Publishes awaiting their PUBACK at once (default 200). */
  readonly window?: number;
  /** Called after each acknowledgement with the number acknowledged so far in this batch. */
  readonly onAcked?: (acked: number) => Promise<void> | void;
}

const PUBLISH_TRIES = 3;

export class LoadGenerator {
  /** Ids the broker acknowledged. */
  readonly sent = new Set<string>();
  /** Publishes that failed after retries, or were answered "no matching subscribers". */
  failures = 0;
  /** Connections lost (the broker restarts in scenario 2; anything else is suspicious). */
  disconnects = 0;

  private constructor(readonly client: MqttClient) {
    client.on('close', () => this.disconnects++);
    client.on('packetreceive', (packet) => {
      if (packet.cmd === 'puback' && packet.reasonCode === 16) this.failures++;
    });
  }

  /** Connects with a persistent session (clean:false, MQTT 5 session expiry), reconnecting every 500 ms. */
  static async connect(url: string, clientId: string): Promise<LoadGenerator> {
    const client = await mqtt.connectAsync(url, {
      clientId,
      clean: false,
      protocolVersion: 5,
      properties: { sessionExpiryInterval: 3600 },
      reconnectPeriod: 500,
      connectTimeout: 5000,
    });
    // Without a listener an 'error' event would throw; reconnect errors are expected in scenario 2.
    client.on('error', () => undefined);
    return new LoadGenerator(client);
  }

  /** Publishes every message at QoS 1; resolves when all were acknowledged (or failed). */
  async publishAll(messages: readonly Outgoing[], plan: PublishPlan = {}): Promise<void> {
    const window = plan.window ?? 200;
    const startedAt = Date.now();
    const inFlight = new Set<Promise<void>>();
    let acked = 0;
    for (let i = 0; i < messages.length; i++) {
      if (plan.ratePerSec) await waitUntil(startedAt + (i * 1000) / plan.ratePerSec);
      while (inFlight.size >= window) await Promise.race(inFlight);
      const task = this.publishOne(messages[i]).then(async () => {
        inFlight.delete(task);
        acked++;
        await plan.onAcked?.(acked);
      });
      inFlight.add(task);
    }
    await Promise.all(inFlight);
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }

  private async publishOne(message: Outgoing): Promise<void> {
    for (let tries = 1; ; tries++) {
      try {
        await this.client.publishAsync(message.topic, message.payload, {
          qos: 1,
          properties: message.properties,
        });
        if (message.id !== undefined) this.sent.add(message.id);
        return;
      } catch (error) {
        if (tries >= PUBLISH_TRIES) {
          this.failures++;
          console.error(`  publish to ${message.topic} failed: ${String(error)}`);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 200 * tries));
      }
    }
  }
}

function waitUntil(at: number): Promise<void> {
  const delay = at - Date.now();
  return delay > 0 ? new Promise((resolve) => setTimeout(resolve, delay)) : Promise.resolve();
}
