import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { EmbeddedBroker } from '../transport/embedded-broker';
import { MqttTransport, type MqttTransportOptions } from '../transport/mqtt-transport';
import type { TransportObserver } from '../transport/mqtt-transport-options';
import { readTlsOptions } from '../transport/tls-options';
import type { ProtocolChoice } from '../transport/protocol-negotiation';
import type { QoS, Transport } from '../transport/transport';
import type { AppConfig } from './config';
import { startConfiguredBroker } from './embedded-broker-start';

/** A transport to use, and the embedded broker started for it, if any. */
export interface BrokerConnection {
  readonly transport: Transport;
  readonly embedded?: EmbeddedBroker;
  /**
   * A second session to the same broker, client id `<main id>-<suffix>`, persistent when the main one
   * is (the retry lane uses it, so that retries never hold the main connection's acknowledgements).
   * Called after the main transport connected, it reuses the version and QoS that one negotiated.
   */
  readonly openSibling?: (suffix: string) => Transport;
}

/**
 * Chooses the broker from the configuration: MQTT_BROKER when set, else the embedded aedes broker on
 * MQTT_PORT (so `node dist/main.js` works on a fresh machine). aedes speaks MQTT 3.1.1 only and has no
 * shared subscriptions, so the transport says so in its capabilities. Against MQTT_BROKER the protocol
 * version and capabilities are negotiated at connect (docs/brokers.md).
 */
export async function openBrokerConnection(
  config: AppConfig,
  logger: Logger,
  clientId?: string,
  observer?: TransportObserver,
): Promise<BrokerConnection> {
  const transportLogger = logger.child({ component: 'transport' });
  if (config.broker !== undefined) {
    if (config.clientId === undefined) {
      logger.warn(
        'MQTT_CLIENT_ID is unset: clean session, so QoS 1 messages sent while this process is down are not kept for it. Set a stable MQTT_CLIENT_ID per process for at-least-once across restarts.',
      );
    }
    const options = transportOptions(config, config.broker, config.protocolVersion, clientId);
    const tls = readTlsOptions(config);
    if (tls?.rejectUnauthorized === false) {
      logger.warn(
        'MQTT_TLS_REJECT_UNAUTHORIZED=false: the broker certificate is not verified, so anyone on the path can pose as the broker. Give its CA with MQTT_CA_FILE instead.',
      );
    }
    const transport = new MqttTransport({ ...options, tls, observer }, transportLogger);
    return {
      transport,
      openSibling: (suffix) => sibling(negotiated({ ...options, tls }, transport), suffix, transportLogger),
    };
  }
  const appClientId = clientId ?? config.clientId ?? defaultClientId();
  const { broker: embedded, url, appCredentials } = await startConfiguredBroker(config, logger, appClientId);
  const options = {
    ...transportOptions(config, url, 4, appClientId),
    ...appCredentials,
    sharedSubscriptions: false,
    // aedes: MQTT 3.1.1 only, no shared subscriptions, QoS 2 supported (no probe needed).
    maxQoS: config.maxQos ?? 2,
  };
  return {
    transport: new MqttTransport({ ...options, observer }, transportLogger),
    embedded,
    openSibling: (suffix) => sibling(options, suffix, transportLogger),
  };
}

/** The sibling connects with what the main transport negotiated: no second refused MQTT 5 attempt. */
function negotiated(options: MqttTransportOptions, main: Transport): MqttTransportOptions {
  const { protocolVersion, maximumQoS } = main.capabilities;
  return {
    ...options,
    protocolVersion: protocolVersion ?? options.protocolVersion,
    maxQoS: Math.min(maximumQoS ?? 2, options.maxQoS ?? 2) as QoS,
  };
}

function sibling(options: MqttTransportOptions, suffix: string, logger: Logger): Transport {
  return new MqttTransport(
    { ...options, clientId: `${options.clientId}-${suffix}` },
    logger.child({ lane: suffix }),
  );
}

function transportOptions(
  config: AppConfig,
  url: string,
  protocolVersion: ProtocolChoice,
  clientId?: string,
): MqttTransportOptions {
  // A stable MQTT_CLIENT_ID means a persistent session: the broker keeps the subscriptions and the
  // QoS 1/2 messages published while this process is down or between a crash and its restart
  // [MQTT-3.1.2-4, MQTT-3.1.2-5] (docs/reliability.md). Without one, every start is a new clean session.
  const persistent = config.clientId !== undefined;
  return {
    url,
    username: config.username,
    password: config.password,
    clientId: clientId ?? config.clientId ?? defaultClientId(),
    protocolVersion,
    sharedSubscriptions: config.sharedSubscriptions,
    maxQoS: config.maxQos,
    maxFiltersPerSubscribe: config.maxFiltersPerSubscribe,
    clean: !persistent,
    sessionExpiryInterval: persistent ? config.sessionExpirySeconds : undefined,
    keepalive: config.keepaliveSeconds,
    receiveMaximum: config.receiveMaximum,
    maxHeldMessages: config.maxHeldMessages,
    maxHeldBytes: config.maxHeldBytes,
    maxPayloadBytes: config.maxPayloadBytes,
    offlineQueueLimit: config.offlineQueueLimit,
    reconnectMinMs: config.reconnectMinMs,
    reconnectMaxMs: config.reconnectMaxMs,
  };
}

/** A unique id per process; a stable id comes from MQTT_CLIENT_ID (persistent sessions). */
function defaultClientId(): string {
  return `routemq-${hostname().slice(0, 20)}-${process.pid}-${randomBytes(3).toString('hex')}`;
}
