/**
 * What a broker can do, read from the negotiated protocol version and its CONNACK (MQTT 5.0 section
 * 3.2.2.3), with the configuration's overrides (MQTT_SHARED_SUBSCRIPTIONS, MQTT_MAX_QOS).
 * @module
 */
import type { IConnackPacket } from 'mqtt';
import type { QoS, TransportCapabilities } from './transport';

/** What the configuration says over the broker's own answer. */
export interface CapabilityOverrides {
  /** true/false forces; undefined reads CONNACK (MQTT 5) or assumes none (MQTT 3.1.1). */
  readonly sharedSubscriptions?: boolean;
  /** An upper bound on QoS, for MQTT 3.1.1 brokers that cannot say theirs (NATS, AWS IoT: 1). */
  readonly maxQoS?: QoS;
}

/**
 * The capabilities of a connection. An absent CONNACK property means the most permissive value
 * [MQTT-3.2.2-9] (Maximum QoS 2, everything available). MQTT 3.1.1 has no such properties: no
 * subscription identifiers or properties, and shared subscriptions only when the configuration says the
 * broker has them (`$share` is an extension there; NATS and RabbitMQ take it as a literal topic).
 *
 * @example
 * ```ts
 * capabilitiesFrom(5, connack, {}).sharedSubscriptions; // connack.properties.sharedSubscriptionAvailable ?? true
 * capabilitiesFrom(4, undefined, { sharedSubscriptions: true }).sharedSubscriptions; // true
 * ```
 */
export function capabilitiesFrom(
  protocolVersion: 4 | 5,
  connack: IConnackPacket | undefined,
  overrides: CapabilityOverrides,
): TransportCapabilities {
  const v5 = protocolVersion === 5;
  const props = v5 ? connack?.properties : undefined;
  const brokerQoS = props?.maximumQoS ?? 2;
  return {
    protocolVersion,
    sharedSubscriptions:
      overrides.sharedSubscriptions ?? (v5 && props?.sharedSubscriptionAvailable !== false),
    subscriptionIdentifiers: v5 && props?.subscriptionIdentifiersAvailable !== false,
    properties: v5,
    maximumQoS: Math.min(brokerQoS, overrides.maxQoS ?? 2) as QoS,
    maximumPacketSize: props?.maximumPacketSize,
    retainAvailable: props?.retainAvailable !== false,
    receiveMaximum: props?.receiveMaximum,
    topicAliasMaximum: props?.topicAliasMaximum,
  };
}

/**
 * The features an MQTT 3.1.1 connection (or a broker's CONNACK) turns off, as people read them, for the
 * start log: `['subscription identifiers', 'response-topic replies', ...]`.
 *
 * @example
 * ```ts
 * missingFeatures(capabilitiesFrom(4, undefined, {})); // ['MQTT 5 properties (...)', 'subscription identifiers ...', ...]
 * ```
 */
export function missingFeatures(capabilities: TransportCapabilities): string[] {
  const off: string[] = [];
  if (!capabilities.properties) {
    off.push(
      'MQTT 5 properties: response-topic replies (routes reply only to their `reply` topic), correlation data, user properties, trace propagation',
    );
  }
  if (!capabilities.subscriptionIdentifiers) {
    off.push('subscription identifiers (routes are matched by the topic trie alone)');
  }
  if (!capabilities.sharedSubscriptions)
    off.push('shared subscriptions (shared routes served by one process)');
  if ((capabilities.maximumQoS ?? 2) < 2) off.push(`QoS above ${capabilities.maximumQoS} (clamped)`);
  if (capabilities.retainAvailable === false) off.push('retained messages');
  return off;
}
