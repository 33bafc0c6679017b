/**
 * Options of the mqtt.js adapter, and their translation into mqtt.js client options.
 * @module
 */
import type { IClientOptions } from 'mqtt';
import type { IntakeLimits } from './intake-gate';
import type { TlsClientOptions } from './tls-options';
import type { ProtocolChoice } from './protocol-negotiation';
import type { QoS } from './transport';

/** The logging surface the transport needs; pino's Logger satisfies it. */
export interface TransportLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

/**
 * What the transport reports about its connection, for metrics and readiness (src/observability).
 * Called on mqtt.js events and once per acknowledged delivery, so implementations must stay cheap.
 */
export interface TransportObserver {
  /** A CONNACK was received (the first connection or a reconnect). */
  connected(): void;
  /** The connection was lost or closed. */
  disconnected(): void;
  /** The acknowledgement of a QoS 1/2 delivery was released, `lagMs` after the message arrived. */
  acknowledged?(lagMs: number): void;
  /** Called once with readers of the transport's state, which gauges read when scraped. */
  attach?(gauges: TransportGauges): void;
}

/** Live figures of a transport, read on demand (a scrape, a readiness check). */
export interface TransportGauges {
  /** Messages taken in and not yet processed (bounded by MAX_HELD_MESSAGES). */
  heldMessages(): number;
  /** Their payload and topic bytes (bounded by MAX_HELD_BYTES). */
  heldBytes(): number;
  /** Age of the oldest acknowledgement still held, in ms; undefined when none is held. */
  oldestUnackedMs(): number | undefined;
}

/** How to reach and talk to the broker. */
export interface MqttTransportOptions {
  /** `mqtt://host:port`, `mqtts://...`, `ws://...`; credentials in the URL are never logged. */
  url: string;
  username?: string;
  password?: string;
  /** Needed (stable and unique per process) for a persistent session with `clean: false`. */
  clientId?: string;
  /**
   * 5 (default), 4 (MQTT 3.1.1, e.g. for aedes) or `auto`: MQTT 5 first, and when the broker refuses it
   * (CONNACK 0x84 or return code 1, or a close before CONNACK) MQTT 3.1.1 once (docs/brokers.md).
   */
  protocolVersion?: ProtocolChoice;
  /** Default true. `false` keeps the session (subscriptions, queued QoS 1/2 messages) across connections. */
  clean?: boolean;
  /** Seconds, default 30. A long handler does not hold it up: deliveries never block the socket. */
  keepalive?: number;
  /** How long the first connection may take before connect() rejects; default 10000 ms. */
  connectTimeoutMs?: number;
  /** MQTT 5 session expiry in seconds; must be > 0 for `clean: false` to survive a disconnect. */
  sessionExpiryInterval?: number;
  /**
   * Whether `$share/` subscriptions work, over what the broker says: undefined reads CONNACK's Shared
   * Subscription Available on MQTT 5 and assumes none on MQTT 3.1.1 (MQTT_SHARED_SUBSCRIPTIONS).
   */
  sharedSubscriptions?: boolean;
  /**
   * Highest QoS to use (MQTT_MAX_QOS), on top of the broker's CONNACK Maximum QoS. Unset on MQTT 3.1.1,
   * the transport asks the broker with one QoS 2 probe subscription and uses the QoS it grants.
   */
  maxQoS?: QoS;
  /** Most topic filters in one SUBSCRIBE (MQTT_MAX_FILTERS_PER_SUBSCRIBE; AWS IoT Core: 8); default no limit. */
  maxFiltersPerSubscribe?: number;
  /** How long close() waits for unacknowledged outgoing publishes; default 10000 ms. */
  closeTimeoutMs?: number;
  /** Reconnect backoff bounds in ms (exponential with jitter); default 500 and 30000. */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  /** Publishes allowed to wait while offline before publish() rejects; default 1000. */
  offlineQueueLimit?: number;
  /** MQTT 5 receive maximum: QoS 1/2 deliveries the broker may have in flight to us; default 500. */
  receiveMaximum?: number;
  /** Messages held (taken in, not yet processed) before the socket is no longer read; default receiveMaximum. */
  maxHeldMessages?: number;
  /** Bytes held before the socket is no longer read; default 64 MiB. */
  maxHeldBytes?: number;
  /**
   * Largest payload the app accepts (MAX_PAYLOAD_BYTES). On MQTT 5 the CONNECT announces a maximum
   * packet size derived from it, so that a compliant broker never sends a larger message.
   */
  maxPayloadBytes?: number;
  /** TLS material and policy for `mqtts://` / `wss://` (tls-options.ts); never logged. */
  tls?: TlsClientOptions;
  /** Connection state and acknowledgement lag, for metrics and readiness. */
  observer?: TransportObserver;
}

/** A logger that drops everything (the default when none is given). */
export const silentLogger: TransportLogger = { info() {}, warn() {}, error() {}, debug() {} };

/**
 * The mqtt.js options for RouteMQ's options.
 *
 * @example
 * ```ts
 * const client = connect(options.url, toClientOptions(options, 5));
 * ```
 */
export function toClientOptions(options: MqttTransportOptions, protocolVersion: 4 | 5): IClientOptions {
  const clientOptions: IClientOptions = {
    // The handleMessage override must be in place before CONNECT: with clean:false the broker pushes
    // the queued messages right after CONNACK.
    manualConnect: true,
    protocolVersion,
    clean: options.clean ?? true,
    keepalive: options.keepalive ?? 30,
    connectTimeout: options.connectTimeoutMs ?? 10_000,
    // mqtt.js never reconnects by itself: a first failure is reported, later losses are handled by
    // the Reconnector (backoff with jitter instead of a fixed period).
    reconnectPeriod: 0,
    // QoS 0 publishes made offline would queue without bound; they fail instead (at most once anyway).
    queueQoSZero: false,
  };
  if (options.clientId !== undefined) clientOptions.clientId = options.clientId;
  if (options.username !== undefined) clientOptions.username = options.username;
  if (options.password !== undefined) clientOptions.password = options.password;
  if (options.tls) Object.assign(clientOptions, options.tls);
  if (protocolVersion === 5) {
    // Receive Maximum asks the broker to bound the QoS 1/2 deliveries in flight to us (MQTT 5.0 section
    // 3.1.2.11.3). Large enough that messages waiting between retries do not use the window up
    // (acks go out in arrival order); Mosquitto 2.0.x overshoots it anyway (docs/reliability.md).
    clientOptions.properties = { receiveMaximum: options.receiveMaximum ?? 500 };
    if (options.maxPayloadBytes !== undefined) {
      clientOptions.properties.maximumPacketSize = maximumPacketSizeFor(options.maxPayloadBytes);
    }
    if (options.sessionExpiryInterval !== undefined) {
      clientOptions.properties.sessionExpiryInterval = options.sessionExpiryInterval;
    }
  }
  return clientOptions;
}

/** Fixed header (5), topic (2 + 65535), packet id (2) and properties (at most 64 KiB kept for them). */
const PUBLISH_OVERHEAD = 5 + 2 + 65_535 + 2 + 65_536;
/** MQTT 5.0 section 3.1.2.11.4: a Maximum Packet Size is at most 268,435,455 (the largest packet). */
const LARGEST_PACKET = 268_435_455;

/**
 * The Maximum Packet Size a CONNECT announces for a payload limit: the payload plus the largest topic
 * and a generous allowance for properties, so that no acceptable message is withheld by the broker. A
 * compliant broker discards a larger message instead of sending it [MQTT-3.1.2-25], so no oversized
 * payload ever reaches the app; one a little over the limit with a short topic still arrives and is
 * refused (and dead-lettered by size and hash) by the payload check.
 *
 * @example
 * ```ts
 * maximumPacketSizeFor(262_144); // 393_224
 * ```
 */
export function maximumPacketSizeFor(maxPayloadBytes: number): number {
  return Math.min(LARGEST_PACKET, maxPayloadBytes + PUBLISH_OVERHEAD);
}

/**
 * The intake limits of a transport: MAX_HELD_MESSAGES (default: the receive maximum) and
 * MAX_HELD_BYTES (default 64 MiB).
 *
 * @example
 * ```ts
 * intakeLimitsOf({ url, receiveMaximum: 100 }); // { maxMessages: 100, maxBytes: 67108864 }
 * ```
 */
export function intakeLimitsOf(options: MqttTransportOptions): IntakeLimits {
  return {
    maxMessages: options.maxHeldMessages ?? options.receiveMaximum ?? 500,
    maxBytes: options.maxHeldBytes ?? 64 * 1024 * 1024,
  };
}

/**
 * A warning for options that look persistent but are not, or undefined.
 *
 * @example
 * ```ts
 * sessionWarning({ url, clean: false }, 5); // '... the session ends at disconnect'
 * ```
 */
export function sessionWarning(options: MqttTransportOptions, protocolVersion: 4 | 5): string | undefined {
  // MQTT 5 ends the session at disconnect unless Session Expiry Interval > 0 (mosquitto#1728).
  if (options.clean === false && protocolVersion === 5 && !options.sessionExpiryInterval) {
    return 'clean:false without sessionExpiryInterval: the session ends at disconnect';
  }
  return undefined;
}
