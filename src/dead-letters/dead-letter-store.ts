import type { DeadLetter } from '../pipeline/dead-letter';
import type { DeadLetterFilter, DeadLetterRecord } from './dead-letter-record';

/** Where dead letters are kept: `DEAD_LETTER_STORE` (docs/reliability.md "Dead letters"). */
export type DeadLetterStoreKind = 'database' | 'redis' | 'file' | 'topic-only';

/**
 * A durable home for dead letters. `add` resolves only once the record is durable (the message is
 * acknowledged after it); every method rejects while the backing service is unavailable.
 *
 * @example
 * ```ts
 * const id = await store.add(deadLetterOf(message, route, error, 3));
 * await store.markReplayed(id, new Date());
 * ```
 */
export interface DeadLetterStore {
  readonly kind: DeadLetterStoreKind;
  /** For logs and the CLI: `table routemq_dead_letters in SQLite file ./data/routemq.sqlite`. */
  readonly description: string;
  /** Keeps the letter; resolves with its id. */
  add(letter: DeadLetter): Promise<string>;
  /** Matching records, newest first. */
  list(filter?: DeadLetterFilter): Promise<DeadLetterRecord[]>;
  get(id: string): Promise<DeadLetterRecord | undefined>;
  /** Counts one more replay of the record. */
  markReplayed(id: string, at: Date): Promise<void>;
  /** Removes the records; resolves with how many existed. */
  remove(ids: readonly string[]): Promise<number>;
  /** Removes records that failed before `cutoff`; resolves with how many. */
  purgeBefore(cutoff: Date): Promise<number>;
  /** Stored records per route. */
  countByRoute(): Promise<Record<string, number>>;
  close(): Promise<void>;
}
