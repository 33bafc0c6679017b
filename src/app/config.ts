import { ConfigError } from '../errors';
import { tlsProblems } from '../transport/tls-options';
import { embeddedBrokerProblems } from './embedded-broker-config';
import type { ConfigField, EarlierFields } from './config-field';
import type { Parsed } from './config-parsers';
import { CONFIG_TABLE } from './config-table';

type Table = typeof CONFIG_TABLE;
type ValueOf<K extends keyof Table> = Table[K] extends ConfigField<infer T> ? T : never;
type OptionalKey = { [K in keyof Table]: undefined extends ValueOf<K> ? K : never }[keyof Table];
type RequiredKey = Exclude<keyof Table, OptionalKey>;

/**
 * The resolved configuration of an app: one field per row of the configuration table
 * (src/app/config-table.ts; variables, defaults and meanings in docs/configuration.md). Read from the
 * environment and `.env`, overridden by `createApp` options.
 *
 * @example
 * ```ts
 * const app = await createApp(AppModule, { broker: 'mqtt://127.0.0.1:1883', logLevel: 'warn' });
 * app.config.groupName; // 'routemq'
 * ```
 */
export type AppConfig = { readonly [K in RequiredKey]: ValueOf<K> } & {
  readonly [K in OptionalKey]?: ValueOf<K>;
};

/** `createApp` options that override the environment, field by field. */
export type ConfigOverrides = { -readonly [K in keyof AppConfig]?: AppConfig[K] };

type Env = Readonly<Record<string, string | undefined>>;

const KEYS = Object.keys(CONFIG_TABLE) as (keyof Table)[];

/** Environment variable of each field, for messages. */
export const CONFIG_VARIABLES = Object.fromEntries(
  KEYS.map((key) => [key, CONFIG_TABLE[key].variable]),
) as Readonly<Record<keyof AppConfig, string>>;

/**
 * Reads and checks every variable of the configuration table; throws one ConfigError naming each bad
 * variable and its fix.
 *
 * @example
 * ```ts
 * const config = loadConfig(process.env, { port: 0 });
 * ```
 */
export function loadConfig(env: Env, overrides: ConfigOverrides = {}): AppConfig {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const key of KEYS) {
    const fromOption = overrides[key] !== undefined;
    const field = CONFIG_TABLE[key] as ConfigField<unknown>;
    const result: Parsed<unknown> = field.parse(
      fromOption ? overrides[key] : env[field.variable],
      values as EarlierFields,
    );
    if ('value' in result) values[key] = result.value;
    else problems.push(`${fromOption ? `option ${key}` : field.variable}: ${result.problem}`);
  }
  const config = values as AppConfig;
  problems.push(...tlsProblems(config, env), ...embeddedBrokerProblems(config));
  if (config.deadLetterStore === 'redis' && config.redisUrl === undefined) {
    problems.push(
      'DEAD_LETTER_STORE: redis needs REDIS_URL; set REDIS_URL, or choose database, file or topic-only',
    );
  }
  if (problems.length > 0) {
    throw new ConfigError(
      'ERR_CONFIG_INVALID',
      problems,
      'Invalid configuration (fix these variables and start again)',
    );
  }
  return Object.freeze(config);
}
