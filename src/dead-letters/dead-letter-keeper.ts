import type { Logger } from 'pino';
import type { DeadLetter, DeadLetterSink } from '../pipeline/dead-letter';
import type { DeadLetterStore } from './dead-letter-store';

/** Publishes a dead letter to its topic (the app's MqttPublisher). */
export type DeadLetterPublish = (topic: string, letter: DeadLetter) => Promise<void>;

/** What a {@link DeadLetterKeeper} works with. */
export interface KeeperOptions {
  readonly publish: DeadLetterPublish;
  readonly logger: Logger;
  /**
   * The store, once open (undefined with DEAD_LETTER_STORE=topic-only: the topic is then the only
   * home, and its publish must succeed).
   */
  readonly store: () => DeadLetterStore | undefined;
  /** Where a letter goes when the store stayed unavailable past `fallbackAfterMs` (a file under DATA_DIR). */
  readonly fallback?: DeadLetterStore;
  readonly fallbackAfterMs: number;
}

/**
 * Keeps a dead letter before its message is acknowledged: first the durable store, then the
 * dead-letter topic for live consumers. While the store is unavailable `keep` rejects (the route runner
 * retries with backoff and the message stays unacknowledged); past `fallbackAfterMs` the letter goes to
 * the file fallback instead, so one outage cannot hold acknowledgements forever and nothing is lost
 * (docs/reliability.md "Dead letters").
 *
 * @example
 * ```ts
 * const keeper = new DeadLetterKeeper({ publish, logger, store: () => store, fallbackAfterMs: 300_000 });
 * await keeper.keep('routemq/dead-letter/sensors/d1/data', letter);
 * ```
 */
export class DeadLetterKeeper implements DeadLetterSink {
  /** When each letter's first write failed (the runner passes the same letter object on every try). */
  readonly #failingSince = new WeakMap<DeadLetter, number>();

  constructor(private readonly options: KeeperOptions) {}

  async keep(topic: string, letter: DeadLetter): Promise<void> {
    const store = this.options.store();
    if (!store) {
      await this.options.publish(topic, letter);
      return;
    }
    const id = await this.#write(store, letter);
    try {
      await this.options.publish(topic, letter);
    } catch (error) {
      // Kept already: the live copy is a convenience, and a failure must not hold the acknowledgement.
      this.options.logger.warn({ err: error, topic, id }, 'dead letter kept but not published to its topic');
    }
  }

  async #write(store: DeadLetterStore, letter: DeadLetter): Promise<string> {
    try {
      const id = await store.add(letter);
      this.#failingSince.delete(letter);
      return id;
    } catch (error) {
      const since = this.#failingSince.get(letter) ?? Date.now();
      this.#failingSince.set(letter, since);
      const fallback = this.options.fallback;
      if (!fallback || Date.now() - since < this.options.fallbackAfterMs) throw error;
      const id = await fallback.add(letter);
      this.options.logger.error(
        { err: error, store: store.description, fallback: fallback.description, id },
        `dead-letter store unavailable for ${Date.now() - since} ms; kept in the fallback instead`,
      );
      return id;
    }
  }
}
