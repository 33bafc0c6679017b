/** Where a key stands in an idempotency store. */
export type ClaimResult = 'claimed' | 'done' | 'busy';

/**
 * Remembers which messages were processed. `claim` marks a key as being processed (for at most
 * `processingMs`, so that a crashed process does not hold it forever), `complete` marks it done for
 * `ttlMs`, `release` forgets a failed attempt so that a redelivery can run it again.
 */
export interface IdempotencyStore {
  claim(key: string, processingMs: number): Promise<ClaimResult>;
  complete(key: string, ttlMs: number): Promise<void>;
  release(key: string): Promise<void>;
}

/**
 * The in-process store: a Map with expiry. Per process: two processes (workers, instances) do not see
 * each other's keys. Use Redis (`REDIS_URL`) for a shared store.
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  readonly #entries = new Map<string, { state: 'processing' | 'done'; expiresAt: number }>();

  async claim(key: string, processingMs: number): Promise<ClaimResult> {
    this.#sweep();
    const entry = this.#entries.get(key);
    if (entry) return entry.state === 'done' ? 'done' : 'busy';
    this.#entries.set(key, { state: 'processing', expiresAt: Date.now() + processingMs });
    return 'claimed';
  }

  async complete(key: string, ttlMs: number): Promise<void> {
    this.#entries.set(key, { state: 'done', expiresAt: Date.now() + ttlMs });
  }

  async release(key: string): Promise<void> {
    this.#entries.delete(key);
  }

  /** Keys kept right now (expired ones are dropped as new claims come). */
  get size(): number {
    return this.#entries.size;
  }

  #sweep(): void {
    const now = Date.now();
    // Map iterates in insertion order; the oldest entries expire first in the common case.
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt > now) break;
      this.#entries.delete(key);
    }
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
  }
}

/** The few ioredis commands the Redis store uses (structural: no ioredis import in the core). */
export interface RedisCommands {
  set(key: string, value: string, px: 'PX', ms: number, nx?: 'NX'): Promise<string | null>;
  get(key: string): Promise<string | null>;
  del(key: string): Promise<number>;
}

/**
 * The Redis store: every process of the app shares it. `SET NX PX` makes the claim atomic, so two
 * processes receiving the same message (a redelivery after a crash) never both run it.
 */
export class RedisIdempotencyStore implements IdempotencyStore {
  constructor(private readonly redis: RedisCommands) {}

  async claim(key: string, processingMs: number): Promise<ClaimResult> {
    const set = await this.redis.set(key, 'processing', 'PX', processingMs, 'NX');
    if (set === 'OK') return 'claimed';
    return (await this.redis.get(key)) === 'done' ? 'done' : 'busy';
  }

  async complete(key: string, ttlMs: number): Promise<void> {
    await this.redis.set(key, 'done', 'PX', ttlMs);
  }

  async release(key: string): Promise<void> {
    await this.redis.del(key);
  }
}
