/**
 * The transport contract: what the pipeline needs from an MQTT connection, and nothing more.
 *
 * Two implementations pass one shared contract suite (test/contract): the mqtt.js adapter
 * (mqtt-transport.ts) and the in-memory one (memory-transport.ts) used by tests.
 * @module
 */

import type { QoS } from '../routing/qos';

export type { QoS } from '../routing/qos';

/** MQTT 5 user properties: a key maps to one value or several. */
export type UserProperties = Record<string, string | string[]>;

/** The MQTT 5 PUBLISH properties RouteMQ reads or writes (MQTT 5.0 section 3.3.2.3). */
export interface MessageProperties {
  payloadFormatIndicator?: boolean;
  messageExpiryInterval?: number;
  contentType?: string;
  responseTopic?: string;
  correlationData?: Buffer;
  userProperties?: UserProperties;
  /** Identifiers of the subscriptions that matched (MQTT 5.0 section 3.3.2.3.8). */
  subscriptionIdentifier?: number | number[];
}

/** One message delivered by the broker. */
export interface InboundMessage {
  readonly topic: string;
  readonly payload: Buffer;
  readonly qos: QoS;
  readonly retain: boolean;
  readonly dup: boolean;
  /** Packet identifier for QoS 1/2 deliveries; undefined for QoS 0. */
  readonly messageId?: number;
  readonly properties: MessageProperties;
}

/**
 * What to do with a delivery once its handler settled: `acknowledge` it (the default, also for
 * `undefined`), or `withhold` the acknowledgement so that the broker redelivers the message on the next
 * connection of this session (used while shutting down: a message taken in but not processed).
 */
export type DeliveryOutcome = 'acknowledge' | 'withhold';

/**
 * Called once per delivered message, concurrently (the transport does not wait for one handler before
 * handing over the next). The transport acknowledges a QoS 1/2 delivery only after the returned promise
 * settled, in arrival order (at-least-once processing, docs/reliability.md); a rejection is logged and
 * acknowledged, never turned into a missing acknowledgement on a live connection: the broker does not
 * resend on a live connection, and a full in-flight window stops delivery.
 */
export type MessageHandler = (message: InboundMessage) => Promise<DeliveryOutcome | void>;

/** One subscription to request from the broker. */
export interface SubscriptionRequest {
  /** The full SUBSCRIBE topic filter, share prefix included (`$share/group/sensors/+/data`). */
  readonly topic: string;
  readonly qos: QoS;
  /** MQTT 5 subscription identifier (1..268435455); ignored where unsupported. */
  readonly id?: number;
}

/** Options of one outgoing publish. */
export interface PublishOptions {
  qos?: QoS;
  retain?: boolean;
  properties?: Omit<MessageProperties, 'subscriptionIdentifier'>;
}

/**
 * What a transport can do; the app adapts (and says so in its logs) where a feature is missing. Over
 * MQTT the values are final once connect() resolved: they come from the negotiated protocol version and
 * the broker's CONNACK (MQTT 5.0 section 3.2.2.3), overridden by configuration (docs/brokers.md).
 */
export interface TransportCapabilities {
  /** `$share/<group>/` subscriptions spread messages over the group (aedes, NATS, RabbitMQ: false). */
  readonly sharedSubscriptions: boolean;
  /** MQTT 5 subscription identifiers are echoed on deliveries. */
  readonly subscriptionIdentifiers: boolean;
  /** MQTT 5 properties (response topic, correlation data, user properties) are carried. */
  readonly properties: boolean;
  /** MQTT protocol level in use: 5, or 4 for MQTT 3.1.1 (undefined: not an MQTT connection). */
  readonly protocolVersion?: 4 | 5;
  /** Highest QoS the broker accepts (CONNACK Maximum QoS, MQTT_MAX_QOS); undefined means 2. */
  readonly maximumQoS?: QoS;
  /** Largest packet the broker accepts, in bytes (CONNACK Maximum Packet Size); undefined: no limit. */
  readonly maximumPacketSize?: number;
  /** False when the broker refuses retained messages (CONNACK Retain Available = 0). */
  readonly retainAvailable?: boolean;
  /** QoS 1/2 publishes the broker takes in flight from us at once (CONNACK Receive Maximum). */
  readonly receiveMaximum?: number;
  /** Topic aliases the broker accepts from us (CONNACK Topic Alias Maximum; RouteMQ sends none). */
  readonly topicAliasMaximum?: number;
}

/** Options of `Transport.close()`. */
export interface CloseOptions {
  /**
   * How long to wait for the deliveries already received and for unacknowledged publishes (default:
   * the transport's own). 0 closes at once: whatever was not acknowledged is redelivered later.
   */
  timeoutMs?: number;
}

/** A connection to a broker, as the pipeline sees it. */
export interface Transport {
  /** Human-readable target, for logs (`mqtt://127.0.0.1:1883`, `memory`). Never holds credentials. */
  readonly description: string;
  readonly capabilities: TransportCapabilities;
  /** Attaches the handler, then connects: queued session messages reach the handler, never a void. */
  connect(handler: MessageHandler): Promise<void>;
  subscribe(requests: readonly SubscriptionRequest[]): Promise<void>;
  unsubscribe(topics: readonly string[]): Promise<void>;
  /** Resolves when the broker accepted the message (PUBACK/PUBCOMP for QoS 1/2). */
  publish(topic: string, payload: Buffer, options?: PublishOptions): Promise<void>;
  /** Graceful disconnect: in-flight outgoing messages are flushed first. Idempotent. */
  close(options?: CloseOptions): Promise<void>;
}
