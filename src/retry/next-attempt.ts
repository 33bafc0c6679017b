import { retryDelay, waitsForDependency, type RetryPolicy } from './retry-policy';
import { isUnavailableError } from './unavailable-error';

/** What to do after a failed attempt. */
export type NextAttempt =
  | { readonly retry: false }
  | {
      readonly retry: true;
      /** The backoff before the next attempt. */
      readonly delayMs: number;
      /**
       * A dependency is down: retried in place (not through the retry lane) until it is back, the app
       * stops, or UNAVAILABLE_MAX_WAIT_MS passed; not dead-lettered meanwhile.
       */
      readonly unavailable: boolean;
    };

/** Outage backoff stops growing after this many attempts (the delay is capped by maxDelayMs anyway). */
const OUTAGE_ATTEMPT_CAP = 30;

/**
 * The retry rule, in one place (docs/reliability.md): after a failed attempt, whether another one
 * follows and after what delay. An unavailable dependency is waited for, up to the policy's
 * `unavailableMaxWaitMs` since the first such failure in a row; an ordinary error is retried while
 * attempts remain and the policy calls it retryable. One tracker per message run (it remembers since
 * when the dependency is down).
 *
 * @example
 * ```ts
 * const attempts = new AttemptTracker(route.retry);
 * const next = attempts.next(error, attempt);
 * if (!next.retry) return deadLetter(error);
 * ```
 */
export class AttemptTracker {
  #unavailableSince: number | undefined;

  constructor(readonly policy: RetryPolicy) {}

  next(error: unknown, attempt: number): NextAttempt {
    const policy = this.policy;
    const down = isUnavailableError(error);
    if (down) this.#unavailableSince ??= performance.now();
    else this.#unavailableSince = undefined;
    const unavailable = waitsForDependency(policy, down, this.#unavailableSince ?? 0);
    if (!unavailable && !(attempt < policy.attempts && policy.retryable(error))) return { retry: false };
    const delayMs = retryDelay(policy, unavailable ? Math.min(attempt, OUTAGE_ATTEMPT_CAP) : attempt);
    return { retry: true, delayMs, unavailable };
  }
}

/**
 * The backoff between tries of something that must eventually go through (a dead-letter publish
 * while the broker is unreachable): the policy's curve, capped like an outage.
 *
 * @example
 * ```ts
 * await sleep(persistentRetryDelay(route.retry, tries), stopping);
 * ```
 */
export function persistentRetryDelay(policy: RetryPolicy, tries: number): number {
  return retryDelay(policy, Math.min(tries, OUTAGE_ATTEMPT_CAP));
}
