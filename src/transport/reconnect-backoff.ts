/**
 * Delays between reconnect attempts: exponential from `minMs` to `maxMs`, with "equal jitter" (half
 * fixed, half random) so that every worker does not reconnect in lock-step after a broker restart
 * (mqtt.js' own `reconnectPeriod` is a fixed interval).
 *
 * @example
 * ```ts
 * const backoff = new ReconnectBackoff(500, 30_000);
 * setTimeout(reconnect, backoff.next()); // 250-500 ms, then 500-1000 ms, ...
 * backoff.reset();                       // after a successful connection
 * ```
 */
export class ReconnectBackoff {
  #attempt = 0;

  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next attempt; each call counts one attempt. */
  next(): number {
    const ceiling = Math.min(this.maxMs, this.minMs * 2 ** Math.min(this.#attempt, 30));
    this.#attempt++;
    return Math.round(ceiling / 2 + (ceiling / 2) * this.random());
  }

  /** Back to the shortest delay. */
  reset(): void {
    this.#attempt = 0;
  }
}
