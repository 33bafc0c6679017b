import { createHmac, timingSafeEqual } from 'node:crypto';
import type { InboundMessage, MessageProperties } from '../transport/transport';

/**
 * A failed message handed back to the broker for a later attempt: everything needed to run the same
 * route again on the same message, as JSON (works over MQTT 3.1.1 too, which has no user properties).
 */
export interface RetryEnvelope {
  readonly v: 1;
  /** `Controller.method` of the route to run again (only that route: the others did their part). */
  readonly route: string;
  readonly topic: string;
  readonly params: Readonly<Record<string, string>>;
  /** Base64 of the original payload bytes. */
  readonly payload: string;
  readonly qos: 0 | 1 | 2;
  readonly retain: boolean;
  readonly responseTopic?: string;
  /** Base64. */
  readonly correlationData?: string;
  readonly userProperties?: MessageProperties['userProperties'];
  readonly contentType?: string;
  /** The attempt number the retry will be (2 for the first retry). */
  readonly attempt: number;
  /** Epoch milliseconds before which the attempt must not run (the backoff). */
  readonly notBefore: number;
}

/** Builds the envelope of a message to retry. */
export function toRetryEnvelope(
  route: string,
  message: InboundMessage,
  params: Readonly<Record<string, string>>,
  attempt: number,
  notBefore: number,
): RetryEnvelope {
  const { responseTopic, correlationData, userProperties, contentType } = message.properties;
  return {
    v: 1,
    route,
    topic: message.topic,
    params,
    payload: message.payload.toString('base64'),
    qos: message.qos,
    retain: message.retain,
    responseTopic,
    correlationData: correlationData?.toString('base64'),
    userProperties,
    contentType,
    attempt,
    notBefore,
  };
}

/**
 * The bytes published to the retry lane: the envelope as JSON, with an HMAC-SHA256 of exactly those
 * JSON bytes under the app's RETRY_SECRET. The lane topic is predictable, so anyone allowed to publish
 * there could otherwise hand the app a message with any attempt, delay, topic and parameters.
 *
 * @example
 * ```ts
 * await transport.publish(laneTopic, sealRetryEnvelope(envelope, secret), { qos: 1 });
 * ```
 */
export function sealRetryEnvelope(envelope: RetryEnvelope, secret: string): Buffer {
  const body = JSON.stringify(envelope);
  return Buffer.from(JSON.stringify({ body, mac: macOf(body, secret) }));
}

/**
 * The envelope inside lane bytes, when its HMAC verifies under `secret` and its fields have the right
 * types; undefined otherwise (a forgery, another app's key, or garbage).
 *
 * @example
 * ```ts
 * const envelope = openRetryEnvelope(message.payload, secret); // undefined: drop it
 * ```
 */
export function openRetryEnvelope(payload: Buffer, secret: string): RetryEnvelope | undefined {
  const sealed = parseJson(payload.toString('utf8')) as { body?: unknown; mac?: unknown } | undefined;
  if (typeof sealed?.body !== 'string' || typeof sealed.mac !== 'string') return undefined;
  const expected = Buffer.from(macOf(sealed.body, secret), 'hex');
  const given = Buffer.from(sealed.mac, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  return fromRetryEnvelope(Buffer.from(sealed.body));
}

function macOf(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Reads an envelope back; undefined when the bytes are not one (never trusted blindly). */
export function fromRetryEnvelope(payload: Buffer): RetryEnvelope | undefined {
  const value = parseJson(payload.toString('utf8'));
  const e = value as Partial<RetryEnvelope> | null;
  const valid =
    e !== null &&
    typeof e === 'object' &&
    e.v === 1 &&
    typeof e.route === 'string' &&
    typeof e.topic === 'string' &&
    typeof e.payload === 'string' &&
    Number.isInteger(e.attempt) &&
    Number.isFinite(e.notBefore) &&
    (e.qos === 0 || e.qos === 1 || e.qos === 2) &&
    typeof e.params === 'object' &&
    e.params !== null;
  return valid ? (e as RetryEnvelope) : undefined;
}

/** The original message, as the route saw it the first time (marked as a redelivery). */
export function messageOf(envelope: RetryEnvelope): InboundMessage {
  return {
    topic: envelope.topic,
    payload: Buffer.from(envelope.payload, 'base64'),
    qos: envelope.qos,
    retain: envelope.retain,
    dup: true,
    properties: {
      responseTopic: envelope.responseTopic,
      correlationData:
        envelope.correlationData === undefined ? undefined : Buffer.from(envelope.correlationData, 'base64'),
      userProperties: envelope.userProperties,
      contentType: envelope.contentType,
    },
  };
}
