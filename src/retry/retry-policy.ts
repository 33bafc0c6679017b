import { isRouteMQError } from '../errors';

/** A route's resolved retry policy (route options over RETRY_* defaults). */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  readonly delayMs: number;
  readonly maxDelayMs: number;
  /** Whether an ordinary error is worth another attempt (validation and payload errors are not). */
  readonly retryable: (error: unknown) => boolean;
  /**
   * UNAVAILABLE_MAX_WAIT_MS: how long a message keeps waiting for a dependency that is down before it
   * goes the ordinary retry/dead-letter way (default 5 minutes), so that no message holds the
   * acknowledgements behind it forever.
   */
  readonly unavailableMaxWaitMs?: number;
}

/** The default of UNAVAILABLE_MAX_WAIT_MS. */
export const DEFAULT_UNAVAILABLE_MAX_WAIT_MS = 300_000;

/**
 * Whether a failure counts as "a dependency is down, wait for it": an unavailable error, while the
 * message has waited for less than the policy's bound since its first such failure.
 *
 * @example
 * ```ts
 * const waitsSince = performance.now();
 * if (waitsForDependency(policy, isUnavailableError(error), waitsSince)) { /* retry in place *\/ }
 * ```
 */
export function waitsForDependency(policy: RetryPolicy, unavailable: boolean, since: number): boolean {
  if (!unavailable) return false;
  return performance.now() - since < (policy.unavailableMaxWaitMs ?? DEFAULT_UNAVAILABLE_MAX_WAIT_MS);
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

/**
 * Delay before attempt `attempt + 1`: exponential from `delayMs`, capped, with equal jitter so that
 * the retries of many messages do not hit a recovering service at the same instant.
 */
export function retryDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.delayMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
