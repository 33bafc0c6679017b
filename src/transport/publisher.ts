/**
 * The publisher users inject into controllers and services to send MQTT messages.
 * @module
 */
import { RouteMQError } from '../errors';
import { assertPublishTopic } from './publish-topic';
import type { PublishOptions, Transport } from './transport';

/**
 * Publishes messages on the app's broker connection. Inject it by class.
 *
 * Payloads: a Buffer or Uint8Array is sent as is, a string as UTF-8, `undefined` as an empty payload
 * (which clears a retained message), anything else as JSON.
 *
 * @example
 * ```ts
 * @Controller('sensors')
 * class SensorController {
 *   constructor(private readonly publisher: MqttPublisher) {}
 *
 *   @Topic('{id}/data')
 *   async data(@Param('id') id: string, @Payload() { temperature }: Reading) {
 *     await this.publisher.publish(`alerts/${id}`, { temperature }, { qos: 1 });
 *   }
 * }
 * ```
 */
export class MqttPublisher {
  constructor(private readonly transport: Transport) {}

  /**
   * Sends one message; resolves when the broker accepted it (PUBACK/PUBCOMP for QoS 1/2).
   * Rejects with ERR_PUBLISH_TOPIC_INVALID, before sending anything, when the topic is empty or holds
   * `+`, `#` or NUL (often a topic parameter taken from an untrusted message).
   */
  async publish(topic: string, payload: unknown, options?: PublishOptions): Promise<void> {
    assertPublishTopic(topic);
    await this.transport.publish(topic, encodePayload(topic, payload), options);
  }
}

/**
 * The bytes sent for a payload value.
 *
 * @example
 * ```ts
 * encodePayload('t', { a: 1 }).toString(); // '{"a":1}'
 * ```
 */
export function encodePayload(topic: string, payload: unknown): Buffer {
  if (Buffer.isBuffer(payload)) return payload;
  if (payload instanceof Uint8Array)
    return Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  if (typeof payload === 'string') return Buffer.from(payload, 'utf8');
  if (payload === undefined) return Buffer.alloc(0);
  return Buffer.from(toJson(topic, payload), 'utf8');
}

function toJson(topic: string, payload: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(payload);
  } catch (error) {
    throw unencodable(topic, error instanceof Error ? error.message : String(error), error);
  }
  // JSON.stringify returns undefined for a function or a symbol: sending "nothing" would hide the bug.
  if (json === undefined) throw unencodable(topic, `a ${typeof payload} has no JSON form`);
  return json;
}

function unencodable(topic: string, reason: string, cause?: unknown): RouteMQError {
  return new RouteMQError(
    'ERR_PAYLOAD_INVALID',
    `Cannot publish to ${JSON.stringify(topic)}: the payload cannot be encoded as JSON (${reason}). ` +
      'Pass a Buffer, a string, or a JSON-serializable value (no cycles, BigInt, functions).',
    { cause },
  );
}
