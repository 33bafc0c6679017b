/**
 * Waits `ms`, unless `signal` aborts first (the app stops): the one wait every retry path uses, so a
 * stopping app never sits out a backoff. Resolves true when the full delay passed, false when aborted.
 *
 * @example
 * ```ts
 * if (!(await sleep(delayMs, stopping))) return 'withhold'; // stopped: leave it for redelivery
 * ```
 */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Waits until the epoch time `time` (an envelope's `notBefore`), unless `signal` aborts first.
 *
 * @example
 * ```ts
 * if (!(await sleepUntil(envelope.notBefore, stopping))) return 'withhold';
 * ```
 */
export function sleepUntil(time: number, signal: AbortSignal): Promise<boolean> {
  return sleep(time - Date.now(), signal);
}
