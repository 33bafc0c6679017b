import { ConfigError } from '../errors';
import { parsePemFile, tlsProblems } from '../transport/tls-options';
import {
  parseBoolean,
  parseBroker,
  parseGroupName,
  parseInteger,
  parseJobPrefix,
  parseList,
  parseLogLevel,
  parseOptionalInteger,
  parseSecret,
  parseSharePrefix,
  parseText,
  parseTextOr,
  parseTopicPrefix,
  parseUrl,
  type LogLevel,
  type Parsed,
} from './config-parsers';
import {
  EMBEDDED_BROKER_VARIABLES,
  embeddedBrokerProblems,
  readEmbeddedBrokerConfig,
  type EmbeddedBrokerConfig,
} from './embedded-broker-config';
import { parseAutoBoolean, parseMaxQoS, parseProtocolChoice } from './broker-config-parsers';
import type { ProtocolChoice } from '../transport/protocol-negotiation';
import type { QoS } from '../transport/transport';

/**
 * The resolved configuration of an app (DESIGN section 3). Read from the environment and `.env`,
 * overridden by `createApp` options.
 *
 * @example
 * ```ts
 * const app = await createApp(AppModule, { broker: 'mqtt://127.0.0.1:1883', logLevel: 'warn' });
 * app.config.groupName; // 'routemq'
 * ```
 */
export interface AppConfig extends EmbeddedBrokerConfig {
  /** MQTT_BROKER: the broker URL; undefined starts the embedded broker. */
  readonly broker?: string;
  /** MQTT_PORT: embedded broker port, and the port of a bare-host MQTT_BROKER (default 1883). */
  readonly port: number;
  readonly username?: string;
  readonly password?: string;
  /** MQTT_CLIENT_ID: base of the client id (a stable id enables persistent sessions). */
  readonly clientId?: string;
  /** MQTT_GROUP_NAME: default share group (default `routemq`). */
  readonly groupName: string;
  /** WORKER_COUNT: default workers of shared routes (default 1). */
  readonly workerCount: number;
  readonly redisUrl?: string;
  readonly databaseUrl?: string;
  readonly logLevel: LogLevel;
  /** MQTT_SHARE_PREFIX: `$share` (default) or `$queue` (EMQX). */
  readonly sharePrefix: '$share' | '$queue';
  /**
   * MQTT_PROTOCOL_VERSION: `auto` (default: MQTT 5, then 3.1.1 once when the broker refuses 5), 5, or 4
   * (MQTT 3.1.1); the embedded broker always uses 4.
   */
  readonly protocolVersion: ProtocolChoice;
  /** MQTT_SHARED_SUBSCRIPTIONS: true/false overrides the broker's answer; undefined (`auto`) reads it. */
  readonly sharedSubscriptions?: boolean;
  /** MQTT_MAX_QOS: highest QoS used, on top of the broker's own maximum (unset: what the broker says). */
  readonly maxQos?: QoS;
  /** MQTT_MAX_FILTERS_PER_SUBSCRIBE: most filters per SUBSCRIBE packet (AWS IoT Core: 8); unset: no limit. */
  readonly maxFiltersPerSubscribe?: number;
  /** SHUTDOWN_TIMEOUT_MS: how long stop() waits for in-flight handlers (default 10000). */
  readonly shutdownTimeoutMs: number;
  /** MQTT_KEEPALIVE: keepalive in seconds (default 30). */
  readonly keepaliveSeconds: number;
  /** MQTT_SESSION_EXPIRY: seconds the broker keeps a persistent session (MQTT 5, default 3600). */
  readonly sessionExpirySeconds: number;
  /** MQTT_RECEIVE_MAXIMUM: QoS 1/2 deliveries in flight at once (MQTT 5 receive maximum, default 500). */
  readonly receiveMaximum: number;
  /** MQTT_OFFLINE_QUEUE_LIMIT: publishes waiting while disconnected before publish() fails (default 1000). */
  readonly offlineQueueLimit: number;
  /** MQTT_RECONNECT_MIN_MS / MQTT_RECONNECT_MAX_MS: reconnect backoff bounds (default 500 / 30000). */
  readonly reconnectMinMs: number;
  readonly reconnectMaxMs: number;
  /** ROUTE_CONCURRENCY: messages one route handles at once, unless the route says (default 1). */
  readonly concurrency: number;
  /** RETRY_ATTEMPTS: attempts of a failing message before it is dead-lettered (default 3). */
  readonly retryAttempts: number;
  /** RETRY_DELAY_MS / RETRY_MAX_DELAY_MS: first retry delay and cap, doubled per attempt (100 / 5000). */
  readonly retryDelayMs: number;
  readonly retryMaxDelayMs: number;
  /** DEAD_LETTER_TOPIC: prefix of dead-letter topics (default `routemq/dead-letter`). */
  readonly deadLetterTopic: string;
  /** MAX_PAYLOAD_BYTES: larger payloads are rejected before parsing (default 262144). */
  readonly maxPayloadBytes: number;
  /** LOG_PRETTY: human-readable logs through pino-pretty instead of JSON lines (default false). */
  readonly logPretty: boolean;
  /** DATA_DIR: folder of the default SQLite file when DATABASE_URL is unset (default `./data`). */
  readonly dataDir: string;
  /** DATABASE_SYNCHRONIZE: create/alter tables from the entities at start (default: true for SQLite only). */
  readonly databaseSynchronize?: boolean;
  /** DATABASE_MIGRATIONS: comma-separated globs of compiled migration files run at start. */
  readonly databaseMigrations: readonly string[];
  /** REDIS_COMMAND_TIMEOUT_MS: a Redis command without a reply by then fails (default 2000). */
  readonly redisCommandTimeoutMs: number;
  /** HTTP_PORT: port of /metrics, /health and /ready (0 picks a free one); unset: no HTTP endpoint. */
  readonly httpPort?: number;
  /** HTTP_HOST: address the HTTP endpoint listens on (default `127.0.0.1`; `0.0.0.0` in a container). */
  readonly httpHost: string;
  /** MQTT_CA_FILE: PEM file of the CA(s) that signed the broker's certificate (default: Node's CAs). */
  readonly caFile?: string;
  /** MQTT_CERT_FILE: PEM client certificate for mutual TLS (with MQTT_KEY_FILE). */
  readonly certFile?: string;
  /** MQTT_KEY_FILE: PEM private key of the client certificate. */
  readonly keyFile?: string;
  /** MQTT_TLS_REJECT_UNAUTHORIZED: verify the broker's certificate (default true; false refused in production). */
  readonly tlsRejectUnauthorized: boolean;
  /** MAX_JSON_DEPTH: deepest JSON nesting accepted, checked before parsing (default 32). */
  readonly maxJsonDepth: number;
  /** MAX_JSON_KEYS: most object keys in one JSON payload, checked before parsing (default 10000). */
  readonly maxJsonKeys: number;
  /** MAX_HELD_MESSAGES: messages taken in but not processed before the socket is no longer read (default: MQTT_RECEIVE_MAXIMUM). */
  readonly maxHeldMessages?: number;
  /** MAX_HELD_BYTES: bytes of such messages before the socket is no longer read (default 64 MiB). */
  readonly maxHeldBytes: number;
  /** UNAVAILABLE_MAX_WAIT_MS: how long a message waits for a dependency that is down before the ordinary retry/dead-letter way (default 300000). */
  readonly unavailableMaxWaitMs: number;
  /** RETRY_SECRET: key of the HMAC on retry envelopes (default: random per process; set it for multi-process retries). */
  readonly retrySecret?: string;
  /** READY_MAX_ACK_AGE_MS: /ready answers 503 while an acknowledgement has been held longer (default 60000). */
  readonly readyMaxAckAgeMs: number;
  /** JOB_WORKERS: run job workers in this process for the modules' jobs (default true). */
  readonly jobWorkers: boolean;
  /** JOB_PREFIX: first part of the Redis keys of the job queues (BullMQ `prefix`, default `bull`). */
  readonly jobPrefix: string;
  /** JOB_LOCK_MS: a job whose worker died is taken again after at most twice this (default 30000). */
  readonly jobLockMs: number;
}

/** `createApp` options that override the environment, field by field. */
export type ConfigOverrides = { -readonly [K in keyof AppConfig]?: AppConfig[K] };

type Env = Readonly<Record<string, string | undefined>>;

/** Environment variable of each field, for messages and docs/configuration.md. */
export const CONFIG_VARIABLES: Readonly<Record<keyof AppConfig, string>> = {
  broker: 'MQTT_BROKER',
  port: 'MQTT_PORT',
  username: 'MQTT_USERNAME',
  password: 'MQTT_PASSWORD',
  clientId: 'MQTT_CLIENT_ID',
  groupName: 'MQTT_GROUP_NAME',
  workerCount: 'WORKER_COUNT',
  redisUrl: 'REDIS_URL',
  databaseUrl: 'DATABASE_URL',
  logLevel: 'LOG_LEVEL',
  sharePrefix: 'MQTT_SHARE_PREFIX',
  protocolVersion: 'MQTT_PROTOCOL_VERSION',
  sharedSubscriptions: 'MQTT_SHARED_SUBSCRIPTIONS',
  maxQos: 'MQTT_MAX_QOS',
  maxFiltersPerSubscribe: 'MQTT_MAX_FILTERS_PER_SUBSCRIBE',
  shutdownTimeoutMs: 'SHUTDOWN_TIMEOUT_MS',
  keepaliveSeconds: 'MQTT_KEEPALIVE',
  sessionExpirySeconds: 'MQTT_SESSION_EXPIRY',
  receiveMaximum: 'MQTT_RECEIVE_MAXIMUM',
  offlineQueueLimit: 'MQTT_OFFLINE_QUEUE_LIMIT',
  reconnectMinMs: 'MQTT_RECONNECT_MIN_MS',
  reconnectMaxMs: 'MQTT_RECONNECT_MAX_MS',
  concurrency: 'ROUTE_CONCURRENCY',
  retryAttempts: 'RETRY_ATTEMPTS',
  retryDelayMs: 'RETRY_DELAY_MS',
  retryMaxDelayMs: 'RETRY_MAX_DELAY_MS',
  deadLetterTopic: 'DEAD_LETTER_TOPIC',
  maxPayloadBytes: 'MAX_PAYLOAD_BYTES',
  logPretty: 'LOG_PRETTY',
  dataDir: 'DATA_DIR',
  databaseSynchronize: 'DATABASE_SYNCHRONIZE',
  databaseMigrations: 'DATABASE_MIGRATIONS',
  redisCommandTimeoutMs: 'REDIS_COMMAND_TIMEOUT_MS',
  httpPort: 'HTTP_PORT',
  httpHost: 'HTTP_HOST',
  caFile: 'MQTT_CA_FILE',
  certFile: 'MQTT_CERT_FILE',
  keyFile: 'MQTT_KEY_FILE',
  tlsRejectUnauthorized: 'MQTT_TLS_REJECT_UNAUTHORIZED',
  maxJsonDepth: 'MAX_JSON_DEPTH',
  maxJsonKeys: 'MAX_JSON_KEYS',
  maxHeldMessages: 'MAX_HELD_MESSAGES',
  maxHeldBytes: 'MAX_HELD_BYTES',
  readyMaxAckAgeMs: 'READY_MAX_ACK_AGE_MS',
  unavailableMaxWaitMs: 'UNAVAILABLE_MAX_WAIT_MS',
  retrySecret: 'RETRY_SECRET',
  jobWorkers: 'JOB_WORKERS',
  jobPrefix: 'JOB_PREFIX',
  jobLockMs: 'JOB_LOCK_MS',
  ...EMBEDDED_BROKER_VARIABLES,
};

/**
 * Reads and checks every variable; throws one ConfigError naming each bad variable and its fix.
 *
 * @example
 * ```ts
 * const config = loadConfig(process.env, { port: 0 });
 * ```
 */
export function loadConfig(env: Env, overrides: ConfigOverrides = {}): AppConfig {
  const problems: string[] = [];
  const read = <K extends keyof AppConfig>(
    key: K,
    parse: (raw: unknown) => Parsed<AppConfig[K]>,
  ): AppConfig[K] => {
    const fromOption = overrides[key] !== undefined;
    const result = parse(fromOption ? overrides[key] : env[CONFIG_VARIABLES[key]]);
    if ('value' in result) return result.value;
    problems.push(`${fromOption ? `option ${key}` : CONFIG_VARIABLES[key]}: ${result.problem}`);
    return undefined as AppConfig[K];
  };
  const port = read('port', (raw) => parseInteger(raw, 1883, 0, 65535));
  const config: AppConfig = {
    port,
    broker: read('broker', (raw) => parseBroker(raw, port ?? 1883)),
    username: read('username', parseText),
    password: read('password', parseText),
    clientId: read('clientId', parseText),
    groupName: read('groupName', parseGroupName),
    workerCount: read('workerCount', (raw) => parseInteger(raw, 1, 1, 1024)),
    redisUrl: read('redisUrl', (raw) => parseUrl(raw, ['redis', 'rediss'], 'redis://127.0.0.1:6379')),
    databaseUrl: read('databaseUrl', (raw) =>
      parseUrl(
        raw,
        ['postgres', 'postgresql', 'sqlite', 'mysql', 'mariadb'],
        'postgres://127.0.0.1:5432/test',
      ),
    ),
    logLevel: read('logLevel', parseLogLevel),
    sharePrefix: read('sharePrefix', parseSharePrefix),
    protocolVersion: read('protocolVersion', parseProtocolChoice),
    sharedSubscriptions: read('sharedSubscriptions', parseAutoBoolean),
    maxQos: read('maxQos', parseMaxQoS),
    maxFiltersPerSubscribe: read('maxFiltersPerSubscribe', (raw) => parseOptionalInteger(raw, 1, 65535)),
    shutdownTimeoutMs: read('shutdownTimeoutMs', (raw) => parseInteger(raw, 10_000, 0, 3_600_000)),
    keepaliveSeconds: read('keepaliveSeconds', (raw) => parseInteger(raw, 30, 1, 65535)),
    sessionExpirySeconds: read('sessionExpirySeconds', (raw) => parseInteger(raw, 3600, 0, 4_294_967_295)),
    receiveMaximum: read('receiveMaximum', (raw) => parseInteger(raw, 500, 1, 65535)),
    offlineQueueLimit: read('offlineQueueLimit', (raw) => parseInteger(raw, 1000, 0, 1_000_000)),
    reconnectMinMs: read('reconnectMinMs', (raw) => parseInteger(raw, 500, 10, 600_000)),
    reconnectMaxMs: read('reconnectMaxMs', (raw) => parseInteger(raw, 30_000, 10, 3_600_000)),
    concurrency: read('concurrency', (raw) => parseInteger(raw, 1, 1, 10_000)),
    retryAttempts: read('retryAttempts', (raw) => parseInteger(raw, 3, 1, 1000)),
    retryDelayMs: read('retryDelayMs', (raw) => parseInteger(raw, 100, 0, 600_000)),
    retryMaxDelayMs: read('retryMaxDelayMs', (raw) => parseInteger(raw, 5000, 0, 3_600_000)),
    deadLetterTopic: read('deadLetterTopic', parseTopicPrefix),
    maxPayloadBytes: read('maxPayloadBytes', (raw) => parseInteger(raw, 262_144, 1, 268_435_455)),
    logPretty: read('logPretty', (raw) => parseBoolean(raw, false)),
    dataDir: read('dataDir', (raw) => parseTextOr(raw, './data')),
    databaseSynchronize: read('databaseSynchronize', (raw) => parseBoolean(raw, undefined)),
    databaseMigrations: read('databaseMigrations', parseList),
    redisCommandTimeoutMs: read('redisCommandTimeoutMs', (raw) => parseInteger(raw, 2000, 1, 600_000)),
    httpPort: read('httpPort', (raw) => parseOptionalInteger(raw, 0, 65535)),
    httpHost: read('httpHost', (raw) => parseTextOr(raw, '127.0.0.1')),
    caFile: read('caFile', parsePemFile),
    certFile: read('certFile', parsePemFile),
    keyFile: read('keyFile', parsePemFile),
    tlsRejectUnauthorized: read('tlsRejectUnauthorized', (raw) => parseBoolean(raw, true)),
    maxJsonDepth: read('maxJsonDepth', (raw) => parseInteger(raw, 32, 1, 100_000)),
    maxJsonKeys: read('maxJsonKeys', (raw) => parseInteger(raw, 10_000, 1, 100_000_000)),
    maxHeldMessages: read('maxHeldMessages', (raw) => parseOptionalInteger(raw, 1, 1_000_000)),
    maxHeldBytes: read('maxHeldBytes', (raw) => parseInteger(raw, 64 * 1024 * 1024, 1024, 2 ** 40)),
    readyMaxAckAgeMs: read('readyMaxAckAgeMs', (raw) => parseInteger(raw, 60_000, 1, 86_400_000)),
    unavailableMaxWaitMs: read('unavailableMaxWaitMs', (raw) => parseInteger(raw, 300_000, 0, 86_400_000)),
    retrySecret: read('retrySecret', parseSecret),
    jobWorkers: read('jobWorkers', (raw) => parseBoolean(raw, true)),
    jobPrefix: read('jobPrefix', parseJobPrefix),
    jobLockMs: read('jobLockMs', (raw) => parseInteger(raw, 30_000, 1000, 3_600_000)),
    // The embedded broker's fields are AppConfig fields: the same reader, typed for them.
    ...readEmbeddedBrokerConfig((key, parse) =>
      read(key, parse as (raw: unknown) => Parsed<AppConfig[typeof key]>),
    ),
  };
  problems.push(...tlsProblems(config, env), ...embeddedBrokerProblems(config));
  if (problems.length > 0) {
    throw new ConfigError(
      'ERR_CONFIG_INVALID',
      problems,
      'Invalid configuration (fix these variables and start again)',
    );
  }
  return Object.freeze(config);
}
