import { isRouteMQError } from '../errors';

/** A route's resolved retry policy (route options over RETRY_* defaults). */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  readonly delayMs: number;
  readonly maxDelayMs: number;
  /** Whether an ordinary error is worth another attempt (validation and payload errors are not). */
  readonly retryable: (error: unknown) => boolean;
}

/** Errors about the message itself: another attempt would fail the same way. */
const PERMANENT_CODES = new Set([
  'ERR_VALIDATION_FAILED',
  'ERR_PAYLOAD_INVALID',
  'ERR_PAYLOAD_TOO_LARGE',
  'ERR_PUBLISH_TOPIC_INVALID',
  'ERR_NEXT_CALLED_TWICE',
  'ERR_RATE_LIMITED',
]);

/** The default `retryable`: everything but errors about the message itself. */
export function isRetryableByDefault(error: unknown): boolean {
  return !(isRouteMQError(error) && PERMANENT_CODES.has(error.code));
}

/** Node socket error codes that mean "a service we depend on is unreachable right now". */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTCONN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ERR_NOT_CONNECTED',
  'ERR_DUPLICATE_IN_PROGRESS',
]);
const UNAVAILABLE_MESSAGES =
  /Connection is closed|Command timed out|Connection terminated|connect ECONNREFUSED|Stream isn't writeable|Reached the max retries per request limit/i;

/**
 * True for errors that say a dependency (Redis, the database, the broker for a publish) is down, not
 * that the message is bad. Such failures are retried until the service returns or the app stops, never
 * dead-lettered: an outage must not turn into lost work (issue 4, "Redis or the database unavailable").
 */
export function isUnavailableError(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
    if (current.name === 'MaxRetriesPerRequestError' || UNAVAILABLE_MESSAGES.test(current.message))
      return true;
    current = (current as Error & { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Delay before attempt `attempt + 1`: exponential from `delayMs`, capped, with equal jitter so that
 * the retries of many messages do not hit a recovering service at the same instant.
 */
export function retryDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.delayMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
