import pino, { type Logger } from 'pino';
import type { LogLevel } from './config-parsers';

/** Paths pino blanks in every log line: configuration secrets wherever they could be logged. */
const REDACTED_PATHS = [
  'password',
  '*.password',
  'config.password',
  'options.password',
  'headers.authorization',
];

/**
 * The root logger of an app: JSON lines on stdout at `LOG_LEVEL`.
 *
 * @example
 * ```ts
 * const logger = createRootLogger('debug');
 * ```
 */
export function createRootLogger(level: LogLevel): Logger {
  return pino({ name: 'routemq', level, redact: { paths: REDACTED_PATHS, censor: '****' } });
}
