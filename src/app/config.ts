import { ConfigError } from '../errors';
import {
  parseBroker,
  parseGroupName,
  parseInteger,
  parseLogLevel,
  parseSharePrefix,
  parseText,
  parseUrl,
  type LogLevel,
  type Parsed,
} from './config-parsers';

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
export interface AppConfig {
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
  /** MQTT_PROTOCOL_VERSION: 5 (default) or 4 (MQTT 3.1.1); the embedded broker always uses 4. */
  readonly protocolVersion: 4 | 5;
  /** SHUTDOWN_TIMEOUT_MS: how long stop() waits for in-flight handlers (default 10000). */
  readonly shutdownTimeoutMs: number;
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
  shutdownTimeoutMs: 'SHUTDOWN_TIMEOUT_MS',
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
    protocolVersion: read('protocolVersion', (raw) => parseInteger(raw, 5, 4, 5) as Parsed<4 | 5>),
    shutdownTimeoutMs: read('shutdownTimeoutMs', (raw) => parseInteger(raw, 10_000, 0, 3_600_000)),
  };
  if (problems.length > 0) {
    throw new ConfigError(
      'ERR_CONFIG_INVALID',
      problems,
      'Invalid configuration (fix these variables and start again)',
    );
  }
  return Object.freeze(config);
}
