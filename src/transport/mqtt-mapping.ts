/**
 * Translations between mqtt.js packets/errors and RouteMQ's transport types and errors.
 * Kept apart from the adapter so that the adapter reads as connection logic only.
 * @module
 */
import {
  ReasonCodes,
  type IClientSubscribeProperties,
  type IPublishPacket,
  type ISubscriptionMap,
} from 'mqtt';
import { RouteMQError } from '../errors';
import type { InboundMessage, MessageProperties, SubscriptionRequest } from './transport';

/**
 * Maps an mqtt.js PUBLISH packet to an {@link InboundMessage}.
 * The topic is read from the packet as is: RouteMQ never advertises a Topic Alias Maximum, so the
 * broker must not send aliased (empty) topics [MQTT-3.1.2-26]; mqtt.js would not restore them in the
 * packet it hands to handleMessage.
 *
 * @example
 * ```ts
 * const message = toInboundMessage(packet); // { topic, payload: Buffer, qos, retain, dup, messageId, properties }
 * ```
 */
export function toInboundMessage(packet: IPublishPacket): InboundMessage {
  const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
  return {
    topic: packet.topic,
    payload,
    qos: packet.qos,
    retain: packet.retain,
    dup: packet.dup,
    messageId: packet.qos > 0 ? packet.messageId : undefined,
    properties: toMessageProperties(packet.properties),
  };
}

function toMessageProperties(source: IPublishPacket['properties']): MessageProperties {
  if (!source) return {};
  const properties: MessageProperties = {};
  if (source.payloadFormatIndicator !== undefined)
    properties.payloadFormatIndicator = source.payloadFormatIndicator;
  if (source.messageExpiryInterval !== undefined)
    properties.messageExpiryInterval = source.messageExpiryInterval;
  if (source.contentType !== undefined) properties.contentType = source.contentType;
  if (source.responseTopic !== undefined) properties.responseTopic = source.responseTopic;
  if (source.correlationData !== undefined) properties.correlationData = source.correlationData;
  if (source.userProperties !== undefined) properties.userProperties = source.userProperties;
  if (source.subscriptionIdentifier !== undefined)
    properties.subscriptionIdentifier = source.subscriptionIdentifier;
  return properties;
}

/** CONNACK codes that mean "wrong credentials" (MQTT 3.1.1 section 3.2.2.3: 4, 5; MQTT 5.0: 0x86, 0x87). */
const CREDENTIAL_CODES = new Set([4, 5, 0x86, 0x87]);

/**
 * The ERR_BROKER_UNREACHABLE error for a first connection that failed, timed out or was refused.
 *
 * @example
 * ```ts
 * throw brokerUnreachable('mqtt://127.0.0.1:1883', new Error('connect ECONNREFUSED 127.0.0.1:1883'));
 * ```
 */
export function brokerUnreachable(target: string, cause: unknown): RouteMQError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const code = (cause as { code?: unknown } | null)?.code;
  const fix =
    typeof code === 'number' && CREDENTIAL_CODES.has(code)
      ? 'Check MQTT_USERNAME and MQTT_PASSWORD (and the broker ACL for this client).'
      : 'Check MQTT_BROKER and MQTT_PORT, and that the broker is running and reachable from here.';
  return new RouteMQError(
    'ERR_BROKER_UNREACHABLE',
    `Cannot connect to the MQTT broker at ${target}: ${reason}. ${fix}`,
    {
      cause,
    },
  );
}

/**
 * The ERR_SUBSCRIBE_FAILED error for a rejected SUBSCRIBE: names each refused filter with the broker's
 * reason (SUBACK return code >= 0x80, MQTT 5.0 section 3.9.3), or the client-side cause.
 *
 * @example
 * ```ts
 * throw subscribeFailure([{ topic: 'a/#/b', qos: 1 }], new Error('Invalid topic a/#/b'), 'mqtt://broker:1883');
 * ```
 */
export function subscribeFailure(
  batch: readonly SubscriptionRequest[],
  cause: unknown,
  target: string,
): RouteMQError {
  const granted = grantedCodes(cause);
  const refused = granted ? batch.flatMap((request, i) => refusal(request.topic, granted[i])) : [];
  if (refused.length === 0) {
    refused.push(
      `${batch.map((r) => r.topic).join(', ')}: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
  }
  return new RouteMQError(
    'ERR_SUBSCRIBE_FAILED',
    `The broker at ${target} refused the subscription to ${refused.join('; ')}. ` +
      'Check the topic filter syntax and the broker ACL for this client.',
    { cause },
  );
}

/** mqtt.js' reason code names, indexable by any number. */
const REASONS: Readonly<Record<number, string | undefined>> = ReasonCodes;

function refusal(topic: string, code: unknown): string[] {
  if (typeof code !== 'number' || code < 0x80) return [];
  return [`${topic} (reason 0x${code.toString(16)}: ${REASONS[code] ?? 'unspecified error'})`];
}

function grantedCodes(cause: unknown): unknown[] | undefined {
  const packet = (cause as { packet?: { granted?: unknown } } | null)?.packet;
  return Array.isArray(packet?.granted) ? packet.granted : undefined;
}

/** One SUBSCRIBE to send: the requests it carries and the arguments of mqtt.js' subscribeAsync. */
export interface SubscribeCall {
  readonly requests: readonly SubscriptionRequest[];
  readonly filters: ISubscriptionMap;
  readonly options?: IClientSubscribeProperties;
}

/**
 * Splits subscription requests into SUBSCRIBE packets: one per distinct identifier, since a
 * Subscription Identifier is a property of the whole packet (MQTT 5.0 section 3.8.2.1.2); one packet
 * for all when identifiers are unsupported (MQTT 3.1.1); and at most `maxFilters` filters per packet
 * for brokers that limit them (AWS IoT Core: 8, MQTT_MAX_FILTERS_PER_SUBSCRIBE).
 *
 * @example
 * ```ts
 * toSubscribeCalls([{ topic: 'a/#', qos: 1, id: 1 }, { topic: 'b', qos: 0, id: 2 }], true).length; // 2
 * toSubscribeCalls(tenFilters, false, 8).length; // 2
 * ```
 */
export function toSubscribeCalls(
  requests: readonly SubscriptionRequest[],
  idsSupported: boolean,
  maxFilters = Infinity,
): SubscribeCall[] {
  const groups = new Map<number | undefined, SubscriptionRequest[]>();
  for (const request of requests) {
    const id = idsSupported ? request.id : undefined;
    groups.set(id, [...(groups.get(id) ?? []), request]);
  }
  return [...groups].flatMap(([id, group]) =>
    chunks(group, maxFilters).map((chunk) => ({
      requests: chunk,
      // resubscribe:true makes mqtt.js send the SUBSCRIBE even when it already holds the filter with an
      // equal or higher QoS; otherwise it skips it silently and a changed id or QoS never reaches the broker.
      filters: Object.assign(Object.fromEntries(chunk.map((r) => [r.topic, { qos: r.qos }])), {
        resubscribe: true,
      }),
      options: id === undefined ? undefined : { properties: { subscriptionIdentifier: id } },
    })),
  );
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  if (items.length <= size) return [[...items]];
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}
