import { createHash } from 'node:crypto';
import type { DeadLetter } from '../pipeline/dead-letter';

/**
 * A dead letter as a store keeps it: the published body plus an id and its replay history.
 *
 * @example
 * ```ts
 * const [record] = await deadLetters.list({ route: 'SensorController.data' });
 * console.log(record.id, record.error.code, record.replayCount);
 * ```
 */
export interface DeadLetterRecord extends DeadLetter {
  /** Unique in its store (a UUID, or the Redis stream entry id). */
  readonly id: string;
  /** Times this record was replayed (`routemq dead-letters replay`). */
  readonly replayCount: number;
  /** When it was last replayed (ISO 8601), if ever. */
  readonly replayedAt?: string;
}

/** Which records an operation applies to; every given field must match. */
export interface DeadLetterFilter {
  /** `Controller.method` of the route that failed. */
  readonly route?: string;
  /** The error code (`ERR_VALIDATION_FAILED`...). */
  readonly code?: string;
  /** Failed at or after this time. */
  readonly since?: Date;
  /** Failed before this time. */
  readonly before?: Date;
  /** At most this many (the newest first). */
  readonly limit?: number;
}

/** True when the record passes every condition of the filter (`limit` aside). */
export function matchesFilter(record: DeadLetter, filter: DeadLetterFilter): boolean {
  if (filter.route !== undefined && record.route !== filter.route) return false;
  if (filter.code !== undefined && record.error.code !== filter.code) return false;
  const failedAt = Date.parse(record.failedAt);
  if (filter.since && failedAt < filter.since.getTime()) return false;
  if (filter.before && failedAt >= filter.before.getTime()) return false;
  return true;
}

/**
 * The identity of the failed delivery (route, topic, payload): a replayed message that fails again
 * makes a record with the same fingerprint, which is how a replay loop is recognised on any protocol
 * version.
 */
export function fingerprintOf(
  letter: Pick<DeadLetter, 'route' | 'topic' | 'payload' | 'payloadSha256'>,
): string {
  return createHash('sha256')
    .update(letter.route)
    .update('\0')
    .update(letter.topic)
    .update('\0')
    .update(letter.payload ?? letter.payloadSha256 ?? '')
    .digest('hex');
}

/** Newest first, then at most `limit`. */
export function newestFirst<T extends DeadLetter>(records: T[], limit?: number): T[] {
  records.sort((a, b) => (a.failedAt < b.failedAt ? 1 : a.failedAt > b.failedAt ? -1 : 0));
  return limit === undefined ? records : records.slice(0, limit);
}
