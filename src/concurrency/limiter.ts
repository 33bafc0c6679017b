/**
 * A counting semaphore with a FIFO queue: at most `limit` tasks run at once, the rest wait in arrival
 * order (so `limit: 1` keeps a route's messages in order). Small and in the hot path, hence written
 * here rather than pulled from an ESM-only package the CommonJS build cannot require.
 *
 * @example
 * ```ts
 * const limiter = new Limiter(16);
 * await limiter.run(() => handle(message));
 * ```
 */
export class Limiter {
  #running = 0;
  readonly #waiting: Array<() => void> = [];

  #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Most tasks at once. */
  get limit(): number {
    return this.#limit;
  }

  /**
   * Raises the limit (never lowers it) and starts waiting tasks into the new slots. Used when a broker
   * turns out to have no shared subscriptions: one process then serves a `workers: N` route N at a time.
   */
  raiseTo(limit: number): void {
    while (this.#limit < limit) {
      this.#limit++;
      const next = this.#waiting.shift();
      if (next) {
        this.#running++;
        next();
      }
    }
  }

  /** Tasks running now. */
  get running(): number {
    return this.#running;
  }

  /** Tasks waiting for a free slot. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Runs `task` when a slot is free; resolves or rejects as the task does. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#limit) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#running++;
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      // The slot passes straight to the next waiter: #running stays the same.
      if (next) next();
      else this.#running--;
    }
  }
}
