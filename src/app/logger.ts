import pino, { type Logger, type LoggerOptions } from 'pino';
import { redactSecrets } from '../redaction';
import type { LogLevel } from './config-parsers';

/** What the root logger is built from (a subset of AppConfig). */
export interface LoggerSettings {
  /** LOG_LEVEL. */
  readonly logLevel: LogLevel;
  /** LOG_PRETTY: pino-pretty output for people instead of JSON lines. */
  readonly logPretty?: boolean;
}

const SECRET_KEYS = ['password', 'passwd', 'token', 'secret', 'apiKey', 'authorization'];
const URL_KEYS = ['redisUrl', 'databaseUrl', 'broker', 'url', 'connectionString'];

/** Objects people log whole, whose secret-looking members must go. */
const PARENTS = ['config', 'options', 'headers', 'credentials', 'connection'];

/**
 * Paths pino censors in every log line: secret-looking keys and URL fields (whose credentials are
 * masked) at the top and inside the usual parents. Named parents, not `*.` wildcards: a wildcard path
 * made every line ~3 us slower (measured: 2.4 us per line with these paths, 5-9 us with wildcards).
 */
const REDACTED_PATHS = [...SECRET_KEYS, ...URL_KEYS].flatMap((key) => [
  key,
  ...PARENTS.map((parent) => `${parent}.${key}`),
]);

/** pino censor: URLs keep their host, anything else under a secret key is replaced. */
function censor(value: unknown): unknown {
  if (typeof value === 'string' && value.includes('://')) return redactSecrets(value);
  return value === undefined ? undefined : '****';
}

/** Error serializer that also masks URL credentials inside messages and stacks (driver errors). */
function serializeError(error: Error): unknown {
  const serialized = pino.stdSerializers.err(error) as unknown as Record<string, unknown>;
  for (const key of ['message', 'stack'] as const) {
    const value = serialized[key];
    if (typeof value === 'string') serialized[key] = redactSecrets(value);
  }
  return serialized;
}

/**
 * The root logger of an app: JSON lines on stdout at `LOG_LEVEL`, or pino-pretty output when
 * `LOG_PRETTY` is set. Secrets are censored by key, and URL credentials are masked in fields,
 * messages and error stacks.
 *
 * @example
 * ```ts
 * const logger = createRootLogger({ logLevel: 'debug', logPretty: true });
 * ```
 */
export function createRootLogger(settings: LogLevel | LoggerSettings): Logger {
  const { logLevel, logPretty } = typeof settings === 'string' ? { logLevel: settings } : settings;
  const options: LoggerOptions = {
    name: 'routemq',
    level: logLevel,
    redact: { paths: REDACTED_PATHS, censor },
    serializers: { err: serializeError },
    hooks: {
      logMethod(args, method) {
        // Messages are built by code that may interpolate a URL: mask before anything is written.
        const safe = args.map((arg) => (typeof arg === 'string' ? redactSecrets(arg) : arg));
        return method.apply(this, safe as Parameters<typeof method>);
      },
    },
  };
  if (logPretty) {
    options.transport = {
      target: 'pino-pretty',
      options: { colorize: Boolean(process.stdout.isTTY), translateTime: 'SYS:standard' },
    };
  }
  return pino(options);
}
