/**
 * Outgoing publishes the broker has not acknowledged yet, so that close() can wait for them (bounded)
 * and then fail the rest instead of leaving their promises pending forever.
 * @module
 */

/** Settles one publish: no argument for success, an error for failure. */
export type SettlePublish = (error?: Error) => void;

/**
 * A set of in-flight publish promises.
 *
 * @example
 * ```ts
 * const pending = new PendingPublishes();
 * await pending.track((settle) => client.publish(topic, payload, { qos: 1 }, settle));
 * // on shutdown:
 * await pending.drain(10_000);
 * pending.abandon(() => new Error('closed before PUBACK'));
 * ```
 */
export class PendingPublishes {
  private readonly settlers = new Map<Promise<void>, SettlePublish>();

  /** How many publishes are still waiting for their acknowledgement. */
  get size(): number {
    return this.settlers.size;
  }

  /** Starts a publish through `send` and returns a promise settled by its callback (or by abandon). */
  track(send: (settle: SettlePublish) => void): Promise<void> {
    let settle: SettlePublish = () => undefined;
    const promise = new Promise<void>((resolve, reject) => {
      settle = (error) => {
        this.settlers.delete(promise);
        if (error) reject(error);
        else resolve();
      };
    });
    this.settlers.set(promise, settle);
    send(settle);
    return promise;
  }

  /** Resolves when every tracked publish settled, or after `timeoutMs`, whichever comes first. */
  async drain(timeoutMs: number): Promise<void> {
    if (this.settlers.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.allSettled([...this.settlers.keys()]), timeout]);
    clearTimeout(timer);
  }

  /** Rejects every publish still pending with the error `makeError` builds. */
  abandon(makeError: () => Error): void {
    for (const settle of [...this.settlers.values()]) settle(makeError());
  }
}
