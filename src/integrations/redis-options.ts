import type { RedisOptions } from 'ioredis';

/** Attempts a queued command waits through before failing (the command timeout usually comes first). */
const MAX_RETRIES_PER_REQUEST = 3;
/** First reconnect delay, doubled per failed attempt up to the cap. */
const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5000;
/** How long one connection attempt may take. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * ioredis options of the app's client. Reconnecting never stops (work resumes when Redis returns,
 * without a restart), while each command is bounded by `commandTimeout`, so a Redis outage makes a
 * handler fail instead of hang.
 *
 * @example
 * ```ts
 * const client = new Redis(url, redisOptions(2000));
 * ```
 */
export function redisOptions(commandTimeoutMs: number): RedisOptions {
  return {
    // register() must do no I/O: the app connects in start().
    lazyConnect: true,
    commandTimeout: commandTimeoutMs,
    maxRetriesPerRequest: MAX_RETRIES_PER_REQUEST,
    connectTimeout: CONNECT_TIMEOUT_MS,
    // Queue commands during a short reconnect; commandTimeout still bounds how long they wait.
    enableOfflineQueue: true,
    retryStrategy: reconnectDelay,
    // A replica promoted during a failover answers READONLY: reconnect to find the new primary.
    reconnectOnError: (error) => error.message.startsWith('READONLY'),
  };
}

/**
 * Delay before reconnect attempt `times` (1-based): exponential, capped, with +-20 % jitter so a fleet
 * of workers does not reconnect in lockstep. Never null: ioredis would then give up for good.
 *
 * @example
 * ```ts
 * reconnectDelay(1); // ~200
 * reconnectDelay(10); // ~5000
 * ```
 */
export function reconnectDelay(times: number): number {
  const base = Math.min(RECONNECT_MIN_MS * 2 ** Math.min(times, 16), RECONNECT_MAX_MS);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}
