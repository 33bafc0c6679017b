import pino, { type Logger } from 'pino';

/** The CLI prints its own results: library warnings (a Redis reconnect) go to stderr, the rest nowhere. */
export function createLogger(): Logger {
  return pino({ level: 'warn' }, pino.destination(2));
}
