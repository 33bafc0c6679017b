import { createHash } from 'node:crypto';
import type { InboundMessage } from '../transport/transport';
import type { RouteInfo } from './message-context';

/**
 * The JSON body published to a dead-letter topic: enough to understand the failure and to replay the
 * message (payload as text when it is valid UTF-8, else base64). A payload refused as too large, or
 * larger than the route's payload limit, is not copied: `payloadEncoding` is `omitted` and
 * `payloadSha256` identifies it, so a flood of huge messages cannot become a flood of huge dead letters.
 *
 * @example
 * ```json
 * { "topic": "sensors/d1/data", "payload": "{\"temperature\":\"hot\"}", "payloadEncoding": "utf8",
 *   "error": { "code": "ERR_VALIDATION_FAILED", "name": "PayloadValidationError", "message": "..." },
 *   "attempts": 1, "route": "SensorController.data", "template": "sensors/{device_id}/data",
 *   "qos": 1, "failedAt": "2026-11-26T19:40:00.000Z" }
 * ```
 */
export interface DeadLetter {
  readonly topic: string;
  /** The payload, absent when `payloadEncoding` is `omitted`. */
  readonly payload?: string;
  readonly payloadEncoding: 'utf8' | 'base64' | 'omitted';
  /** Size of the original payload in bytes. */
  readonly payloadBytes: number;
  /** Hex SHA-256 of the original payload, when the payload itself was omitted. */
  readonly payloadSha256?: string;
  readonly error: { readonly code?: string; readonly name: string; readonly message: string };
  readonly attempts: number;
  readonly route: string;
  readonly template: string;
  readonly qos: number;
  readonly failedAt: string;
  /** The MQTT 5 properties a faithful replay needs (absent on MQTT 3.1.1 or when the message had none). */
  readonly properties?: DeadLetterProperties;
}

/** MQTT 5 PUBLISH properties kept with a dead letter; correlation data as base64 (MQTT 5.0 section 3.3.2.3). */
export interface DeadLetterProperties {
  readonly userProperties?: Readonly<Record<string, string | string[]>>;
  readonly contentType?: string;
  readonly responseTopic?: string;
  readonly correlationData?: string;
  readonly payloadFormatIndicator?: boolean;
}

/**
 * Where the pipeline hands a dead letter: the app's keeper writes it to the durable store, then
 * publishes it to `topic` for live consumers (docs/reliability.md "Dead letters"). Resolves once the
 * letter is kept; rejects while it cannot be (the message then stays unacknowledged and is tried again).
 */
export interface DeadLetterSink {
  keep(topic: string, letter: DeadLetter): Promise<void>;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Error messages can carry sender text (a JSON.parse snippet, property names): a dead letter keeps this much. */
const MAX_ERROR_MESSAGE = 2000;

/**
 * Builds the dead-letter body of a message that failed on a route; the one place that decides what of
 * the message a dead letter keeps. `maxPayloadBytes` is the route's payload limit (MAX_PAYLOAD_BYTES).
 *
 * @example
 * ```ts
 * const body = deadLetterOf(message, route.info, error, 3, 262_144);
 * ```
 */
export function deadLetterOf(
  message: InboundMessage,
  route: RouteInfo,
  error: unknown,
  attempts: number,
  maxPayloadBytes: number,
): DeadLetter {
  const omit = errorCodeOf(error) === 'ERR_PAYLOAD_TOO_LARGE' || message.payload.length > maxPayloadBytes;
  return {
    topic: message.topic,
    ...(omit ? fingerprint(message.payload) : encodePayload(message.payload)),
    payloadBytes: message.payload.length,
    error: describeError(error),
    attempts,
    route: route.handler,
    template: route.template,
    qos: message.qos,
    failedAt: new Date().toISOString(),
    properties: propertiesOf(message),
  };
}

function fingerprint(payload: Buffer): Pick<DeadLetter, 'payloadEncoding' | 'payloadSha256'> {
  return { payloadEncoding: 'omitted', payloadSha256: createHash('sha256').update(payload).digest('hex') };
}

function propertiesOf(message: InboundMessage): DeadLetterProperties | undefined {
  const { userProperties, contentType, responseTopic, correlationData, payloadFormatIndicator } =
    message.properties;
  const kept: DeadLetterProperties = {
    ...(userProperties && { userProperties }),
    ...(contentType !== undefined && { contentType }),
    ...(responseTopic !== undefined && { responseTopic }),
    ...(correlationData && { correlationData: correlationData.toString('base64') }),
    ...(payloadFormatIndicator !== undefined && { payloadFormatIndicator }),
  };
  return Object.keys(kept).length > 0 ? kept : undefined;
}

function encodePayload(payload: Buffer): { payload: string; payloadEncoding: 'utf8' | 'base64' } {
  try {
    return { payload: strictUtf8.decode(payload), payloadEncoding: 'utf8' };
  } catch {
    return { payload: payload.toString('base64'), payloadEncoding: 'base64' };
  }
}

function errorCodeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function describeError(error: unknown): DeadLetter['error'] {
  if (!(error instanceof Error)) return { name: 'Error', message: clip(String(error)) };
  return { code: errorCodeOf(error), name: error.name, message: clip(error.message) };
}

function clip(text: string): string {
  if (text.length <= MAX_ERROR_MESSAGE) return text;
  return `${text.slice(0, MAX_ERROR_MESSAGE)}... (${text.length} characters)`;
}
