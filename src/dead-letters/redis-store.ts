import type Redis from 'ioredis';
import type { DeadLetter } from '../pipeline/dead-letter';
import { matchesFilter, type DeadLetterFilter, type DeadLetterRecord } from './dead-letter-record';
import type { DeadLetterStore } from './dead-letter-store';

/** Entries read per XRANGE/XREVRANGE call. */
const PAGE = 500;

type StreamEntry = [id: string, fields: string[]];

/**
 * Dead letters in a Redis stream (`<key>`), one entry per letter, its id the record id (so it sorts by
 * time); replays are counted in the hash `<key>:replays`. XADD is acknowledged by Redis before the
 * message is; durable as far as the Redis server persists (AOF/RDB, docs/reliability.md).
 *
 * @example
 * ```ts
 * const store = new RedisDeadLetterStore(redis);
 * const id = await store.add(letter); // '1764871200000-0'
 * ```
 */
export class RedisDeadLetterStore implements DeadLetterStore {
  readonly kind = 'redis';
  readonly description: string;
  readonly #replays: string;

  constructor(
    private readonly redis: Redis,
    private readonly key = 'routemq:dead-letters',
  ) {
    this.description = `Redis stream ${key}`;
    this.#replays = `${key}:replays`;
  }

  async add(letter: DeadLetter): Promise<string> {
    const id = await this.redis.xadd(this.key, '*', 'letter', JSON.stringify(letter));
    return id as string;
  }

  async list(filter: DeadLetterFilter = {}): Promise<DeadLetterRecord[]> {
    const found: DeadLetterRecord[] = [];
    const limit = filter.limit ?? Number.POSITIVE_INFINITY;
    // An entry id is the time Redis stored it, never before the letter failed: a safe lower bound.
    let end = '+';
    const start = filter.since ? String(filter.since.getTime()) : '-';
    while (found.length < limit) {
      const page = (await this.redis.xrevrange(this.key, end, start, 'COUNT', PAGE)) as StreamEntry[];
      const records = await this.#recordsOf(page);
      found.push(...records.filter((r) => matchesFilter(r, filter)));
      if (page.length < PAGE) break;
      end = `(${page[page.length - 1][0]}`;
    }
    return found.slice(0, limit);
  }

  async get(id: string): Promise<DeadLetterRecord | undefined> {
    if (!/^\d+-\d+$/.test(id)) return undefined;
    const [record] = await this.#recordsOf((await this.redis.xrange(this.key, id, id)) as StreamEntry[]);
    return record;
  }

  async markReplayed(id: string, at: Date): Promise<void> {
    const current = await this.get(id);
    const count = (current?.replayCount ?? 0) + 1;
    await this.redis.hset(this.#replays, id, JSON.stringify({ count, at: at.toISOString() }));
  }

  async remove(ids: readonly string[]): Promise<number> {
    const valid = ids.filter((id) => /^\d+-\d+$/.test(id));
    if (valid.length === 0) return 0;
    const removed = await this.redis.xdel(this.key, ...valid);
    await this.redis.hdel(this.#replays, ...valid);
    return removed;
  }

  async purgeBefore(cutoff: Date): Promise<number> {
    const old = await this.list({ before: cutoff });
    return this.remove(old.map((record) => record.id));
  }

  async countByRoute(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const record of await this.list()) counts[record.route] = (counts[record.route] ?? 0) + 1;
    return counts;
  }

  async close(): Promise<void> {}

  async #recordsOf(entries: readonly StreamEntry[]): Promise<DeadLetterRecord[]> {
    if (entries.length === 0) return [];
    const replays = await this.redis.hmget(this.#replays, ...entries.map(([id]) => id));
    const records: DeadLetterRecord[] = [];
    entries.forEach(([id, fields], i) => {
      const letter = parseLetter(fields[fields.indexOf('letter') + 1]);
      if (!letter) return;
      const replay = parseReplay(replays[i]);
      records.push({ ...letter, id, replayCount: replay?.count ?? 0, replayedAt: replay?.at });
    });
    return records;
  }
}

function parseLetter(text: string | undefined): DeadLetter | undefined {
  try {
    return text === undefined ? undefined : (JSON.parse(text) as DeadLetter);
  } catch {
    return undefined;
  }
}

function parseReplay(text: string | null): { count: number; at: string } | undefined {
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as { count: number; at: string };
  } catch {
    return undefined;
  }
}
