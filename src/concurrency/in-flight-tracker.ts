/** Counts running promises and lets shutdown wait for them, with a bound. */
export class InFlightTracker {
  #count = 0;
  #waiters: Array<() => void> = [];

  get count(): number {
    return this.#count;
  }

  /** Counts `work` until it settles; resolves or rejects as it does. */
  track<T>(work: Promise<T>): Promise<T> {
    this.#count++;
    // then() with two callbacks made once, not finally(): finally() costs two more promises and two
    // closures, per message on the hot path (docs/benchmarks.md).
    return work.then(this.#settledValue, this.#settledError) as Promise<T>;
  }

  readonly #settledValue = (value: unknown): unknown => {
    this.#settled();
    return value;
  };

  readonly #settledError = (error: unknown): never => {
    this.#settled();
    throw error;
  };

  #settled(): void {
    this.#count--;
    if (this.#count === 0) this.#wakeWaiters();
  }

  /** Resolves true once nothing runs, or false when `timeoutMs` passed first. */
  idle(timeoutMs: number): Promise<boolean> {
    if (this.#count === 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== wake);
        resolve(false);
      }, timeoutMs);
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.#waiters.push(wake);
    });
  }

  #wakeWaiters(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}
