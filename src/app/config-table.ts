import { parsePemFile } from '../transport/tls-options';
import { parseAutoBoolean, parseMaxQoS, parseProtocolChoice } from './broker-config-parsers';
import {
  custom,
  flag,
  integer,
  list,
  optionalFlag,
  optionalInteger,
  text,
  textOr,
  url,
} from './config-field';
import {
  parseBroker,
  parseChoice,
  parseDuration,
  parseGroupName,
  parseJobPrefix,
  parseLogLevel,
  parseSecret,
  parseSharePrefix,
  parseTopicPrefix,
} from './config-parsers';

/**
 * Every configuration variable, declared once: the `AppConfig` type, `loadConfig`, the defaults and the
 * tables of docs/configuration.md (kept in step by test/docs/configuration-docs.spec.ts) all come from
 * it. The key is the `createApp` option; the order is the parse order (MQTT_PORT before MQTT_BROKER,
 * whose bare-host form takes its port) and the order of the docs.
 *
 * To add a variable: add a row here, then run
 * `UPDATE_DOCS=1 npx jest test/docs/configuration-docs.spec.ts` to regenerate the docs tables.
 */
const DEAD_LETTER_STORES = ['auto', 'database', 'redis', 'file', 'topic-only'] as const;

export const CONFIG_TABLE = {
  port: integer({
    variable: 'MQTT_PORT',
    default: 1883,
    min: 0,
    max: 65535,
    section: 'general',
    description: 'Port of the embedded broker (0 picks a free one), and of a bare-host `MQTT_BROKER`',
  }),
  broker: custom({
    variable: 'MQTT_BROKER',
    defaultText: 'unset',
    parse: (raw, earlier) => parseBroker(raw, typeof earlier.port === 'number' ? earlier.port : 1883),
    section: 'general',
    description:
      'Broker to connect to: `mqtt://host:1883`, `mqtts://`, `ws://`, `wss://`, or a bare host (`broker.local`, port from `MQTT_PORT`). **Unset: start the embedded broker** (aedes) and connect to it',
  }),
  username: text({ variable: 'MQTT_USERNAME', section: 'general', description: 'Broker user name' }),
  password: text({
    variable: 'MQTT_PASSWORD',
    section: 'general',
    description: 'Broker password; never logged',
  }),
  clientId: text({
    variable: 'MQTT_CLIENT_ID',
    defaultText: '`routemq-<host>-<pid>-<random>`',
    section: 'general',
    description: 'Client id; set a stable one per process for persistent sessions',
  }),
  groupName: custom({
    variable: 'MQTT_GROUP_NAME',
    defaultText: '`routemq`',
    parse: parseGroupName,
    section: 'general',
    description: 'Share group of `shared: true` routes without their own `group`',
  }),
  sharePrefix: custom({
    variable: 'MQTT_SHARE_PREFIX',
    defaultText: '`$share`',
    parse: parseSharePrefix,
    section: 'general',
    description: '`$share` (MQTT 5, Mosquitto, EMQX, HiveMQ) or `$queue` (EMQX)',
  }),
  protocolVersion: custom({
    variable: 'MQTT_PROTOCOL_VERSION',
    defaultText: '`auto`',
    parse: parseProtocolChoice,
    section: 'general',
    description:
      '`auto`: MQTT 5, and when the broker refuses it (NATS, RabbitMQ 3.x) MQTT 3.1.1 once, with one info line. `5` or `4` (MQTT 3.1.1) fix the version; a refusal then fails with `ERR_BROKER_PROTOCOL`. The embedded broker always speaks 4. See docs/brokers.md',
  }),
  sharedSubscriptions: custom({
    variable: 'MQTT_SHARED_SUBSCRIPTIONS',
    defaultText: '`auto`',
    parse: parseAutoBoolean,
    section: 'general',
    description:
      '`auto`: what the broker says in CONNACK (MQTT 5), none on MQTT 3.1.1. `true`/`false` override it. Without them, shared routes run in one process (docs/brokers.md)',
  }),
  maxQos: custom({
    variable: 'MQTT_MAX_QOS',
    defaultText: 'unset',
    parse: parseMaxQoS,
    section: 'general',
    description:
      "Highest QoS used for subscriptions and publishes, on top of the broker's CONNACK Maximum QoS. Unset on MQTT 3.1.1: learned from one QoS 2 probe subscription",
  }),
  maxFiltersPerSubscribe: optionalInteger({
    variable: 'MQTT_MAX_FILTERS_PER_SUBSCRIBE',
    min: 1,
    max: 65535,
    defaultText: 'unset (no limit)',
    section: 'general',
    description: 'Most topic filters per SUBSCRIBE packet; more are split over several (AWS IoT Core: 8)',
  }),
  workerCount: integer({
    variable: 'WORKER_COUNT',
    default: 1,
    min: 1,
    max: 1024,
    section: 'general',
    description: 'Default `workers` of shared routes',
  }),
  redisUrl: url({
    variable: 'REDIS_URL',
    schemes: ['redis', 'rediss'],
    example: 'redis://127.0.0.1:6379',
    section: 'general',
    description:
      '`redis://` or `rediss://` URL: one ioredis client injected as `REDIS` (docs/integrations.md). Unset: `REDIS` is not registered',
  }),
  databaseUrl: url({
    variable: 'DATABASE_URL',
    schemes: ['postgres', 'postgresql', 'sqlite', 'mysql', 'mariadb'],
    example: 'postgres://127.0.0.1:5432/test',
    section: 'general',
    description:
      '`postgres://` (or `sqlite:<file>`) URL of the TypeORM `DATA_SOURCE`. Unset: a SQLite file under `DATA_DIR` when a module declares entities',
  }),
  logLevel: custom({
    variable: 'LOG_LEVEL',
    defaultText: '`info`',
    parse: parseLogLevel,
    section: 'general',
    description: '`fatal`, `error`, `warn`, `info`, `debug`, `trace`, `silent`',
  }),
  shutdownTimeoutMs: integer({
    variable: 'SHUTDOWN_TIMEOUT_MS',
    default: 10_000,
    min: 0,
    max: 3_600_000,
    section: 'general',
    description: 'How long `stop()` waits for in-flight handlers',
  }),
  embeddedBrokerUsers: text({
    variable: 'EMBEDDED_BROKER_USERS',
    section: 'embedded',
    description:
      'File of `user:hash` lines (scrypt or bcrypt), written by `routemq broker passwd FILE USER`; devices must log in with one of them',
  }),
  embeddedBrokerAcl: text({
    variable: 'EMBEDDED_BROKER_ACL',
    section: 'embedded',
    description:
      "Per-device rules in Mosquitto's acl_file syntax (`user`, `topic read|write|readwrite`, `pattern` with `%u`/`%c`); with it, what is not granted is denied",
  }),
  embeddedBrokerHost: textOr({
    variable: 'EMBEDDED_BROKER_HOST',
    default: '127.0.0.1',
    section: 'embedded',
    description:
      'Interface the broker binds; any other than loopback needs credentials (`EMBEDDED_BROKER_USERS` or `MQTT_USERNAME`/`MQTT_PASSWORD`), else start-up stops',
  }),
  embeddedBrokerWsPort: optionalInteger({
    variable: 'EMBEDDED_BROKER_WS_PORT',
    min: 0,
    max: 65535,
    section: 'embedded',
    description: 'MQTT over WebSocket port (browser dashboards); same credentials and rules',
  }),
  embeddedBrokerTlsPort: optionalInteger({
    variable: 'EMBEDDED_BROKER_TLS_PORT',
    min: 0,
    max: 65535,
    section: 'embedded',
    description:
      'MQTT over TLS port; the server certificate and key are `MQTT_CERT_FILE` and `MQTT_KEY_FILE`',
  }),
  embeddedBrokerMaxConnections: integer({
    variable: 'EMBEDDED_BROKER_MAX_CONNECTIONS',
    default: 10_000,
    min: 1,
    max: 1_000_000,
    section: 'embedded',
    description: 'Connections open at once over every listener; more are closed at once',
  }),
  redisCommandTimeoutMs: integer({
    variable: 'REDIS_COMMAND_TIMEOUT_MS',
    default: 2000,
    min: 1,
    max: 600_000,
    section: 'integrations',
    description: 'A Redis command without a reply by then fails (a Redis outage cannot hang a handler)',
  }),
  dataDir: textOr({
    variable: 'DATA_DIR',
    default: './data',
    section: 'integrations',
    description: 'Folder of the default SQLite file `routemq.sqlite` (when `DATABASE_URL` is unset)',
  }),
  databaseSynchronize: optionalFlag({
    variable: 'DATABASE_SYNCHRONIZE',
    defaultText: 'on for SQLite, else off',
    section: 'integrations',
    description: '`true`/`false`: create and alter tables from the entities at start (development only)',
  }),
  databaseMigrations: list({
    variable: 'DATABASE_MIGRATIONS',
    section: 'integrations',
    description: "Comma-separated globs of compiled migration files, run at start with the modules' ones",
  }),
  logPretty: flag({
    variable: 'LOG_PRETTY',
    default: false,
    section: 'integrations',
    description: '`1`/`true`: human-readable logs through pino-pretty instead of JSON lines (development)',
  }),
  keepaliveSeconds: integer({
    variable: 'MQTT_KEEPALIVE',
    default: 30,
    min: 1,
    max: 65535,
    section: 'reliability',
    description: 'MQTT keepalive in seconds (a long handler does not block it)',
  }),
  sessionExpirySeconds: integer({
    variable: 'MQTT_SESSION_EXPIRY',
    default: 3600,
    min: 0,
    max: 4_294_967_295,
    section: 'reliability',
    description: 'MQTT 5 session expiry in seconds of persistent sessions (`MQTT_CLIENT_ID` set)',
  }),
  receiveMaximum: integer({
    variable: 'MQTT_RECEIVE_MAXIMUM',
    default: 500,
    min: 1,
    max: 65535,
    section: 'reliability',
    description:
      'QoS 1/2 deliveries in flight to this process at once (MQTT 5); also caps [batch](batching.md#the-in-flight-window) sizes',
  }),
  offlineQueueLimit: integer({
    variable: 'MQTT_OFFLINE_QUEUE_LIMIT',
    default: 1000,
    min: 0,
    max: 1_000_000,
    section: 'reliability',
    description:
      'publishes that may wait while disconnected; beyond, `publish()` fails with `ERR_NOT_CONNECTED`',
  }),
  reconnectMinMs: integer({
    variable: 'MQTT_RECONNECT_MIN_MS',
    default: 500,
    min: 10,
    max: 600_000,
    section: 'reliability',
    description: 'first reconnect delay (exponential backoff, jittered)',
  }),
  reconnectMaxMs: integer({
    variable: 'MQTT_RECONNECT_MAX_MS',
    default: 30_000,
    min: 10,
    max: 3_600_000,
    section: 'reliability',
    description: 'cap of the reconnect delay',
  }),
  concurrency: integer({
    variable: 'ROUTE_CONCURRENCY',
    default: 1,
    min: 1,
    max: 10_000,
    section: 'reliability',
    description: 'messages one route handles at once, unless the route sets `concurrency`',
  }),
  retryAttempts: integer({
    variable: 'RETRY_ATTEMPTS',
    default: 3,
    min: 1,
    max: 1000,
    section: 'reliability',
    description: 'attempts of a failing message (first included) before the dead-letter topic',
  }),
  retryDelayMs: integer({
    variable: 'RETRY_DELAY_MS',
    default: 100,
    min: 0,
    max: 600_000,
    section: 'reliability',
    description: 'first retry delay, doubled per attempt (jittered)',
  }),
  retryMaxDelayMs: integer({
    variable: 'RETRY_MAX_DELAY_MS',
    default: 5000,
    min: 0,
    max: 3_600_000,
    section: 'reliability',
    description: 'cap of the retry delay',
  }),
  deadLetterTopic: custom({
    variable: 'DEAD_LETTER_TOPIC',
    defaultText: '`routemq/dead-letter`',
    parse: parseTopicPrefix,
    section: 'reliability',
    description: 'prefix of dead-letter topics (`<prefix>/<original topic>`)',
  }),
  deadLetterStore: custom({
    variable: 'DEAD_LETTER_STORE',
    defaultText: '`auto`',
    parse: (raw) => parseChoice(raw, DEAD_LETTER_STORES, 'auto'),
    section: 'reliability',
    description:
      'where dead letters are kept before their ack: `auto` (database if the app has one, else Redis with `REDIS_URL`, else files under `DATA_DIR`), `database`, `redis`, `file`, `topic-only` ([dead letters](reliability.md#dead-letters))',
  }),
  deadLetterRetentionMs: custom({
    variable: 'DEAD_LETTER_RETENTION',
    defaultText: '`14d`',
    parse: (raw) => parseDuration(raw, 14 * 86_400_000),
    section: 'reliability',
    description:
      'stored dead letters older than this are purged at start and daily (`30d`, `12h`, milliseconds, or `off`)',
  }),
  deadLetterFileMaxBytes: integer({
    variable: 'DEAD_LETTER_FILE_MAX_BYTES',
    default: 16 * 1024 * 1024,
    defaultText: '`16777216` (16 MiB)',
    min: 4096,
    max: 1024 * 1024 * 1024,
    section: 'reliability',
    description: 'the file store starts a new file past this size',
  }),
  maxPayloadBytes: integer({
    variable: 'MAX_PAYLOAD_BYTES',
    default: 262_144,
    min: 1,
    max: 268_435_455,
    section: 'reliability',
    description:
      'larger payloads are rejected before parsing (`ERR_PAYLOAD_TOO_LARGE`); on MQTT 5 also announced to the broker as a Maximum Packet Size (payload + 128 KiB for topic and properties)',
  }),
  maxHeldMessages: optionalInteger({
    variable: 'MAX_HELD_MESSAGES',
    min: 1,
    max: 1_000_000,
    defaultText: '`MQTT_RECEIVE_MAXIMUM`',
    section: 'reliability',
    description:
      'messages taken in and not yet processed before the app stops reading its socket ([bounded memory](reliability.md#bounded-memory-under-a-burst))',
  }),
  maxHeldBytes: integer({
    variable: 'MAX_HELD_BYTES',
    default: 64 * 1024 * 1024,
    min: 1024,
    max: 2 ** 40,
    defaultText: '`67108864` (64 MiB)',
    section: 'reliability',
    description: 'payload + topic bytes of those messages before the app stops reading its socket',
  }),
  httpPort: optionalInteger({
    variable: 'HTTP_PORT',
    min: 0,
    max: 65535,
    section: 'operations',
    description:
      'port of `/metrics`, `/health`, `/ready` (`0`: a free one, see `app.httpPort`); unset: no endpoint, no metrics',
  }),
  httpHost: textOr({
    variable: 'HTTP_HOST',
    default: '127.0.0.1',
    section: 'operations',
    description:
      'address the endpoint listens on; set `0.0.0.0` in a container so the kubelet and Prometheus reach it ([operations](operations.md#the-http-endpoint))',
  }),
  unavailableMaxWaitMs: integer({
    variable: 'UNAVAILABLE_MAX_WAIT_MS',
    default: 300_000,
    min: 0,
    max: 86_400_000,
    section: 'reliability',
    description:
      'how long a message is retried in place while a dependency is unreachable before it goes the ordinary retry/dead-letter way ([reliability](reliability.md#a-dependency-that-is-down-is-waited-for-not-dead-lettered))',
  }),
  retrySecret: custom({
    variable: 'RETRY_SECRET',
    defaultText: 'random per process',
    parse: parseSecret,
    section: 'reliability',
    description:
      'HMAC key of retry envelopes (at least 16 characters); set the same value when `MQTT_CLIENT_ID` is set, for workers and for several instances ([reliability](reliability.md#retry-envelopes-are-authenticated)); never logged',
  }),
  readyMaxAckAgeMs: integer({
    variable: 'READY_MAX_ACK_AGE_MS',
    default: 60_000,
    min: 1,
    max: 86_400_000,
    section: 'operations',
    description: '`/ready` answers `503` while an acknowledgement has been held longer (a stuck message)',
  }),
  caFile: custom({
    variable: 'MQTT_CA_FILE',
    defaultText: 'unset',
    parse: parsePemFile,
    section: 'operations',
    description: "PEM file of the CA(s) of the broker's certificate (`mqtts://`); unset: Node's CA store",
  }),
  certFile: custom({
    variable: 'MQTT_CERT_FILE',
    defaultText: 'unset',
    parse: parsePemFile,
    section: 'operations',
    description: 'PEM client certificate for mutual TLS (with `MQTT_KEY_FILE`)',
  }),
  keyFile: custom({
    variable: 'MQTT_KEY_FILE',
    defaultText: 'unset',
    parse: parsePemFile,
    section: 'operations',
    description: 'PEM private key of the client certificate; never logged',
  }),
  tlsRejectUnauthorized: flag({
    variable: 'MQTT_TLS_REJECT_UNAUTHORIZED',
    default: true,
    section: 'operations',
    description: "verify the broker's certificate and name; `false` is refused when `NODE_ENV=production`",
  }),
  maxJsonDepth: integer({
    variable: 'MAX_JSON_DEPTH',
    default: 32,
    min: 1,
    max: 100_000,
    section: 'operations',
    description: 'deeper JSON payloads are refused before parsing (`ERR_PAYLOAD_INVALID`)',
  }),
  maxJsonKeys: integer({
    variable: 'MAX_JSON_KEYS',
    default: 10_000,
    min: 1,
    max: 100_000_000,
    section: 'operations',
    description: 'JSON payloads with more object keys are refused before parsing (`ERR_PAYLOAD_INVALID`)',
  }),
  jobWorkers: flag({
    variable: 'JOB_WORKERS',
    default: true,
    section: 'jobs',
    description:
      'run job workers in every app process; `false`: this process only dispatches (`routemq work` runs them)',
  }),
  jobPrefix: custom({
    variable: 'JOB_PREFIX',
    defaultText: '`bull`',
    parse: parseJobPrefix,
    section: 'jobs',
    description: "first part of the job queues' Redis keys (BullMQ `prefix`): letters, digits, `_`, `.`, `-`",
  }),
  jobLockMs: integer({
    variable: 'JOB_LOCK_MS',
    default: 30_000,
    min: 1000,
    max: 3_600_000,
    section: 'jobs',
    description:
      'lock of a running job; a job whose worker died is run again after one to two locks (stalled recovery)',
  }),
};
