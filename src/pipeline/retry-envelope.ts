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

/** Reads an envelope back; undefined when the bytes are not one (never trusted blindly). */
export function fromRetryEnvelope(payload: Buffer): RetryEnvelope | undefined {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
  const e = value as Partial<RetryEnvelope> | null;
  const valid =
    e !== null &&
    typeof e === 'object' &&
    e.v === 1 &&
    typeof e.route === 'string' &&
    typeof e.topic === 'string' &&
    typeof e.payload === 'string' &&
    typeof e.attempt === 'number' &&
    typeof e.notBefore === 'number' &&
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
