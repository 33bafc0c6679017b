/**
 * Options of the mqtt.js adapter, and their translation into mqtt.js client options.
 * @module
 */
import type { IClientOptions } from 'mqtt';
import type { TlsClientOptions } from './tls-options';
import type { TransportCapabilities } from './transport';

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
}

/** How to reach and talk to the broker. */
export interface MqttTransportOptions {
  /** `mqtt://host:port`, `mqtts://...`, `ws://...`; credentials in the URL are never logged. */
  url: string;
  username?: string;
  password?: string;
  /** Needed (stable and unique per process) for a persistent session with `clean: false`. */
  clientId?: string;
  /** 5 (default) or 4 (MQTT 3.1.1, e.g. for aedes). */
  protocolVersion?: 4 | 5;
  /** Default true. `false` keeps the session (subscriptions, queued QoS 1/2 messages) across connections. */
  clean?: boolean;
  /** Seconds, default 30. A handler slower than ~1.5x keepalive trips a keepalive timeout (MQTT.js#1935). */
  keepalive?: number;
  /** How long the first connection may take before connect() rejects; default 10000 ms. */
  connectTimeoutMs?: number;
  /** MQTT 5 session expiry in seconds; must be > 0 for `clean: false` to survive a disconnect. */
  sessionExpiryInterval?: number;
  /** Whether `$share/` subscriptions work on an MQTT 3.1.1 broker; default true (false for aedes). */
  sharedSubscriptions?: boolean;
  /** How long close() waits for unacknowledged outgoing publishes; default 10000 ms. */
  closeTimeoutMs?: number;
  /** Reconnect backoff bounds in ms (exponential with jitter); default 500 and 30000. */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  /** Publishes allowed to wait while offline before publish() rejects; default 1000. */
  offlineQueueLimit?: number;
  /** MQTT 5 receive maximum: QoS 1/2 deliveries the broker may have in flight to us; default 100. */
  receiveMaximum?: number;
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
    if (options.sessionExpiryInterval !== undefined) {
      clientOptions.properties.sessionExpiryInterval = options.sessionExpiryInterval;
    }
  }
  return clientOptions;
}

/**
 * What the connection supports: MQTT 5 carries properties and subscription identifiers and has shared
 * subscriptions; on MQTT 3.1.1 shared subscriptions are a broker extension (aedes has none).
 *
 * @example
 * ```ts
 * capabilitiesOf({ url, sharedSubscriptions: false }, 4).sharedSubscriptions; // false
 * ```
 */
export function capabilitiesOf(options: MqttTransportOptions, protocolVersion: 4 | 5): TransportCapabilities {
  const v5 = protocolVersion === 5;
  return {
    sharedSubscriptions: v5 || (options.sharedSubscriptions ?? true),
    subscriptionIdentifiers: v5,
    properties: v5,
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
