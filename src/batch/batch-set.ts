import type { Logger } from 'pino';
import type { DispatchObserver } from '../pipeline/dispatch-observer';
import type { ExecutableRoute } from '../pipeline/executable-route';
import type { InboundMessage } from '../transport/transport';
import type { BatchRoute } from './batch-route';

/** What the batch routes of an app share. */
export interface BatchSetOptions {
  readonly logger: Logger;
  /**
   * QoS 1/2 deliveries the broker sends before it waits for acknowledgements (MQTT_RECEIVE_MAXIMUM,
   * the MQTT 5 receive maximum; on MQTT 3.1.1 set it to the broker's in-flight limit).
   */
  readonly window: number;
  /** MAX_HELD_MESSAGES / MAX_HELD_BYTES: past these the transport stops reading the socket. */
  readonly maxHeldMessages: number;
  readonly maxHeldBytes: number;
  readonly observer?: DispatchObserver;
}

/**
 * The batch routes of a running app, together: one stop signal, and the count of what is held: QoS 1/2
 * deliveries not acknowledged, and every message (and its bytes) not finished. When the first reaches
 * the broker's in-flight window, or the others the transport's intake bound (past which it stops
 * reading the socket), every batch is handed over at once: nothing more arrives until something is
 * finished, and a batch must never wait for messages that cannot come (docs/batching.md, "The
 * in-flight window").
 *
 * @example
 * ```ts
 * const batches = BatchSet.of(executables, { logger, window: 500, maxHeldMessages: 500, maxHeldBytes: 2 ** 26 });
 * const dispatcher = new Dispatcher(table, { logger, publish, useSubscriptionIds, batches });
 * ```
 */
export class BatchSet {
  /** QoS 1/2 deliveries not acknowledged yet (the broker's in-flight window). */
  #unacknowledged = 0;
  /** Every message taken in and not finished, and its bytes (the transport's intake bound). */
  #held = 0;
  #heldBytes = 0;
  readonly #stopping = new AbortController();
  #joinWaiters: Array<() => void> = [];

  private constructor(
    private readonly routes: readonly BatchRoute[],
    private readonly options: BatchSetOptions,
  ) {}

  /** The batch routes among `executables`, attached; undefined when there are none. */
  static of(executables: readonly ExecutableRoute[], options: BatchSetOptions): BatchSet | undefined {
    const batched = executables.filter((e) => e.batch !== undefined);
    if (batched.length === 0) return undefined;
    const set = new BatchSet(
      batched.flatMap((e) => (e.batch ? [e.batch] : [])),
      options,
    );
    for (const executable of batched) {
      executable.batch?.attach({
        logger: options.logger,
        stopping: set.#stopping.signal,
        windowFull: () => set.#windowFull(),
        joined: () => set.#wakeJoinWaiters(),
        observer: options.observer?.forBatchRoute?.(executable.info),
      });
    }
    return set;
  }

  /**
   * Runs `dispatch` for a delivery, counting it as held from before it starts (its item may join a
   * batch synchronously, and the window check must count it) until it settles.
   */
  hold<T>(message: InboundMessage, dispatch: () => Promise<T>): Promise<T> {
    const acknowledged = message.qos > 0 ? 1 : 0;
    const bytes = message.payload.length + message.topic.length;
    this.#unacknowledged += acknowledged;
    this.#held++;
    this.#heldBytes += bytes;
    const release = () => {
      this.#unacknowledged -= acknowledged;
      this.#held--;
      this.#heldBytes -= bytes;
    };
    const work = dispatch();
    work.then(release, release);
    return work;
  }

  /** The app stops: every batch is handed over now, retry waits end. */
  drain(): void {
    this.#stopping.abort();
    for (const route of this.routes) route.drain();
  }

  /** Hands every batch over now and resolves when they all finished (`testApp.flush()`). */
  async flush(): Promise<void> {
    for (const route of this.routes) route.flush('manual');
    await Promise.all(this.routes.map((route) => route.idle()));
  }

  /** Resolves the next time an item joins a batch. */
  nextJoin(): Promise<void> {
    return new Promise((resolve) => this.#joinWaiters.push(resolve));
  }

  #windowFull(): boolean {
    const { window, maxHeldMessages, maxHeldBytes } = this.options;
    const full =
      this.#unacknowledged >= window || this.#held >= maxHeldMessages || this.#heldBytes >= maxHeldBytes;
    if (!full) return false;
    for (const route of this.routes) route.flush('window');
    return true;
  }

  #wakeJoinWaiters(): void {
    const waiters = this.#joinWaiters;
    this.#joinWaiters = [];
    for (const wake of waiters) wake();
  }
}
