/**
 * Reads the durable record the fixtures write (fixtures/support/recorder.ts) and judges it against what
 * the load generator got acknowledged: lost = sent but never processed, duplicates = processed more
 * than once.
 * @module
 */
import Redis from 'ioredis';

/** The verdict on one run. */
export interface Tally {
  readonly sent: number;
  /** Distinct sent ids processed at least once. */
  readonly processed: number;
  readonly lost: number;
  /** Ids processed more than once. */
  readonly duplicatedIds: number;
  /** Extra processings in all: the sum of (count - 1). */
  readonly duplicates: number;
  /** A few lost ids, for the report. */
  readonly lostSample: readonly string[];
  /** A few ids processed more than once. */
  readonly duplicateSample: readonly string[];
}

export class Oracle {
  readonly #redis: Redis;

  constructor(
    readonly url: string,
    /** The run key given to the fixture as RELIABILITY_RUN_KEY. */
    readonly key: string,
  ) {
    this.#redis = new Redis(url, { maxRetriesPerRequest: 3, lazyConnect: false });
  }

  /** Processing counts by id. */
  async counts(): Promise<Map<string, number>> {
    const raw = await this.#redis.hgetall(`${this.key}:count`);
    return new Map(Object.entries(raw).map(([id, count]) => [id, Number(count)]));
  }

  /** Distinct ids processed so far (cheap, for progress). */
  async processedCount(): Promise<number> {
    return this.#redis.hlen(`${this.key}:count`);
  }

  /** First and last finish time of a route, in ms since the epoch. */
  async window(route: string): Promise<{ first: number; last: number } | undefined> {
    const [first, last] = await Promise.all([
      this.#redis.hget(`${this.key}:first`, route),
      this.#redis.hget(`${this.key}:last`, route),
    ]);
    if (first === null || last === null) return undefined;
    return { first: Number(first), last: Number(last) };
  }

  /** Counters the fixtures raise for things that must never happen. */
  async flags(): Promise<Record<string, number>> {
    const raw = await this.#redis.hgetall(`${this.key}:flags`);
    return Object.fromEntries(Object.entries(raw).map(([name, n]) => [name, Number(n)]));
  }

  /** Judges `sent` against the record. */
  async tally(sent: ReadonlySet<string>): Promise<Tally> {
    const counts = await this.counts();
    let processed = 0;
    let duplicatedIds = 0;
    let duplicates = 0;
    const lost: string[] = [];
    const duplicated: string[] = [];
    for (const id of sent) {
      const count = counts.get(id) ?? 0;
      if (count === 0) lost.push(id);
      else processed++;
      if (count > 1) {
        duplicatedIds++;
        if (duplicated.length < 5) duplicated.push(id);
        duplicates += count - 1;
      }
    }
    return {
      sent: sent.size,
      processed,
      lost: lost.length,
      duplicatedIds,
      duplicates,
      lostSample: lost.slice(0, 5),
      duplicateSample: duplicated,
    };
  }

  /**
   * Waits until every id in `sent` was processed, or until nothing new was processed for `quietMs`
   * (then what is missing is lost: the redelivery that would save it is not coming).
   */
  async settle(sent: ReadonlySet<string>, quietMs = 15_000, onProgress?: (n: number) => void): Promise<void> {
    let last = -1;
    let lastChange = Date.now();
    for (;;) {
      const counts = await this.counts();
      let done = 0;
      for (const id of sent) if (counts.has(id)) done++;
      if (done !== last) {
        last = done;
        lastChange = Date.now();
        onProgress?.(done);
      }
      if (done >= sent.size || Date.now() - lastChange > quietMs) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** Deletes the run's keys. */
  async clear(): Promise<void> {
    await this.#redis.del(`${this.key}:count`, `${this.key}:first`, `${this.key}:last`, `${this.key}:flags`);
  }

  async close(): Promise<void> {
    await this.#redis.quit();
  }
}
