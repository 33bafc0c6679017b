/**
 * Starts the embedded broker for an app from its configuration, and says honestly at start what it
 * is: aedes, MQTT 3.1.1 only, in memory or Redis-backed, anonymous or authenticated, and where it
 * listens (docs/deployment.md, "Running the embedded broker in production").
 * @module
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { ConfigError } from '../errors';
import { startEmbeddedBroker, type EmbeddedBroker } from '../transport/embedded-broker';
import { APP_USERNAME } from '../transport/embedded/broker-access';
import type { AppConfig } from './config';
import { readAcl, readUsers } from './embedded-broker-config';
import { RETRY_TOPIC_PREFIX } from '../retry/retry-lane';

/** The running broker, and how the app's own sessions reach it. */
export interface StartedEmbeddedBroker {
  readonly broker: EmbeddedBroker;
  /** `mqtt://<host>:<port>` of the TCP listener, as the app connects to it. */
  readonly url: string;
  /** The app's own credentials: a fixed user name and a secret made for this process. */
  readonly appCredentials: { readonly username: string; readonly password: string };
}

/** Headroom over MAX_PAYLOAD_BYTES for the topic (up to 64 KiB) and the rest of a PUBLISH. */
const PACKET_HEADROOM_BYTES = 64 * 1024 + 16;

/**
 * Starts the embedded broker described by the configuration; `appClientId` is the client id base of
 * this app, which devices may not use.
 *
 * @example
 * ```ts
 * const { broker, url, appCredentials } = await startConfiguredBroker(config, logger, 'my-app');
 * ```
 */
export async function startConfiguredBroker(
  config: AppConfig,
  logger: Logger,
  appClientId: string,
): Promise<StartedEmbeddedBroker> {
  const users = readUsers(config.embeddedBrokerUsers);
  const acl = readAcl(config.embeddedBrokerAcl);
  const problems = [users, acl].flatMap((read) => (read && 'problems' in read ? read.problems : []));
  if (problems.length > 0) throw new ConfigError('ERR_CONFIG_INVALID', problems);
  const appSecret = randomBytes(32).toString('base64url');
  const deviceAccount =
    config.username !== undefined && config.password !== undefined
      ? { username: config.username, password: config.password }
      : undefined;
  const brokerLogger = logger.child({ component: 'embedded-broker' });
  const broker = await startEmbeddedBroker({
    port: config.port,
    host: config.embeddedBrokerHost,
    wsPort: config.embeddedBrokerWsPort,
    tls: tlsListener(config),
    maxConnections: config.embeddedBrokerMaxConnections,
    maxPacketBytes: config.maxPayloadBytes + PACKET_HEADROOM_BYTES,
    redisUrl: config.redisUrl,
    onNotice: (notice) => brokerLogger.warn(notice),
    access: {
      appSecret,
      appClientIds: [appClientId],
      deviceAccount,
      users: users && 'users' in users ? users.users : undefined,
      acl: acl && 'acl' in acl ? acl.acl : undefined,
      privatePrefixes: [RETRY_TOPIC_PREFIX],
      internalPrefixes: [config.deadLetterTopic],
    },
  });
  describeBroker(config, broker, brokerLogger);
  return {
    broker,
    url: `mqtt://${connectHost(config.embeddedBrokerHost)}:${broker.port}`,
    appCredentials: { username: APP_USERNAME, password: appSecret },
  };
}

function tlsListener(config: AppConfig): { port: number; cert: Buffer; key: Buffer } | undefined {
  const { embeddedBrokerTlsPort: port, certFile, keyFile } = config;
  if (port === undefined || certFile === undefined || keyFile === undefined) return undefined;
  return { port, cert: readFileSync(certFile), key: readFileSync(keyFile) };
}

/** A wildcard bind address is reached over loopback; a specific one as it is. */
function connectHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function describeBroker(config: AppConfig, broker: EmbeddedBroker, logger: Logger): void {
  const host = config.embeddedBrokerHost;
  const listeners = [`mqtt://${host}:${broker.port}`];
  if (broker.wsPort !== undefined) listeners.push(`ws://${host}:${broker.wsPort}`);
  if (broker.tlsPort !== undefined) listeners.push(`mqtts://${host}:${broker.tlsPort}`);
  const durable = config.redisUrl !== undefined;
  const authenticated = config.embeddedBrokerUsers !== undefined || config.username !== undefined;
  const access = authenticated
    ? `authenticated (${[config.embeddedBrokerUsers && 'users file', config.username && 'device account MQTT_USERNAME'].filter(Boolean).join(' + ')}${config.embeddedBrokerAcl ? ', ACL file' : ''})`
    : 'anonymous clients allowed';
  logger.info(
    { listeners, protocol: 'MQTT 3.1.1', persistence: durable ? 'redis' : 'memory', authenticated },
    `embedded MQTT broker (aedes) listening on port ${broker.port}: MQTT 3.1.1 only, no shared subscriptions, ${durable ? 'Redis-backed' : 'in-memory'}, ${access}; listeners ${listeners.join(', ')}; set MQTT_BROKER to use another broker`,
  );
  if (!authenticated) {
    logger.warn(
      `the embedded broker accepts anonymous clients (on ${host} only); set EMBEDDED_BROKER_USERS or MQTT_USERNAME and MQTT_PASSWORD to require credentials`,
    );
  }
  if (!durable) {
    logger.warn(
      `the embedded broker keeps sessions in memory: messages it acknowledged to devices die with this process${config.clientId !== undefined ? ' (MQTT_CLIENT_ID asks for a persistent session, which does not survive it either)' : ''}; set REDIS_URL to keep them in Redis, or use an external broker with MQTT_BROKER`,
    );
  }
}
