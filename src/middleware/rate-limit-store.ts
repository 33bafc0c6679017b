/** The counting rule of a rate limit. */
export type RateLimitAlgorithm = 'fixed-window' | 'sliding-window' | 'token-bucket';

/** One budget: `limit` messages per `windowMs`, counted by `algorithm`. */
export interface RateLimitRule {
  readonly algorithm: RateLimitAlgorithm;
  /** Messages allowed per window (token bucket: tokens refilled per window). */
  readonly limit: number;
  readonly windowMs: number;
  /** Token bucket only: how many tokens the bucket holds (the largest burst); default `limit`. */
  readonly burst?: number;
}

/** What a store decided for one message. */
export interface RateLimitDecision {
  readonly allowed: boolean;
  /** Messages still allowed now (after this one). */
  readonly remaining: number;
  /** When refused: how long until one more message would be allowed. */
  readonly retryAfterMs: number;
}

/**
 * Counts messages per key and decides, atomically, whether one more is allowed. The in-process store is
 * per process; {@link RedisRateLimitStore} is shared by every process that uses the same Redis.
 */
export interface RateLimitStore {
  consume(key: string, rule: RateLimitRule): Promise<RateLimitDecision>;
}

type Entry =
  | { kind: 'fixed'; expiresAt: number; window: number; count: number }
  | { kind: 'sliding'; expiresAt: number; hits: number[]; head: number }
  | { kind: 'bucket'; expiresAt: number; tokens: number; at: number };

/** Expired keys are dropped at most this often (a full pass over the map). */
const SWEEP_INTERVAL_MS = 10_000;

/**
 * The in-process store: exact counts in a Map, per process. Two workers or two instances each allow
 * `limit`; use Redis (`REDIS_URL`) for a limit over all of them. Windows are aligned on the epoch
 * (fixed window), a sliding window keeps one timestamp per allowed message (memory grows with
 * `limit`), a token bucket keeps two numbers.
 *
 * @example
 * ```ts
 * const store = new MemoryRateLimitStore();
 * await store.consume('sensors:dev-1', { algorithm: 'token-bucket', limit: 10, windowMs: 1000 });
 * ```
 */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly #entries = new Map<string, Entry>();
  #nextSweep = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  async consume(key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
    const now = this.clock();
    this.#sweep(now);
    if (rule.algorithm === 'fixed-window') return this.#fixed(key, rule, now);
    if (rule.algorithm === 'sliding-window') return this.#sliding(key, rule, now);
    return this.#bucket(key, rule, now);
  }

  /** Keys tracked right now. */
  get size(): number {
    return this.#entries.size;
  }

  #fixed(key: string, { limit, windowMs }: RateLimitRule, now: number): RateLimitDecision {
    const window = Math.floor(now / windowMs);
    const resetIn = (window + 1) * windowMs - now;
    let entry = this.#entries.get(key);
    if (entry?.kind !== 'fixed' || entry.window !== window) {
      entry = { kind: 'fixed', expiresAt: now + resetIn, window, count: 0 };
      this.#entries.set(key, entry);
    }
    if (entry.count >= limit) return { allowed: false, remaining: 0, retryAfterMs: resetIn };
    entry.count++;
    return { allowed: true, remaining: limit - entry.count, retryAfterMs: 0 };
  }

  #sliding(key: string, { limit, windowMs }: RateLimitRule, now: number): RateLimitDecision {
    let entry = this.#entries.get(key);
    if (entry?.kind !== 'sliding') {
      entry = { kind: 'sliding', expiresAt: 0, hits: [], head: 0 };
      this.#entries.set(key, entry);
    }
    const { hits } = entry;
    while (entry.head < hits.length && hits[entry.head] <= now - windowMs) entry.head++;
    // Compact now and then instead of shifting on every message.
    if (entry.head > 1024 && entry.head * 2 > hits.length) {
      entry.hits = hits.slice(entry.head);
      entry.head = 0;
    }
    const count = entry.hits.length - entry.head;
    if (count >= limit) {
      return { allowed: false, remaining: 0, retryAfterMs: entry.hits[entry.head] + windowMs - now };
    }
    entry.hits.push(now);
    entry.expiresAt = now + windowMs;
    return { allowed: true, remaining: limit - count - 1, retryAfterMs: 0 };
  }

  #bucket(key: string, rule: RateLimitRule, now: number): RateLimitDecision {
    const capacity = rule.burst ?? rule.limit;
    const perMs = rule.limit / rule.windowMs;
    const entry = this.#entries.get(key);
    const previous = entry?.kind === 'bucket' ? entry : { tokens: capacity, at: now };
    let tokens = Math.min(capacity, previous.tokens + (now - previous.at) * perMs);
    const allowed = tokens >= 1;
    if (allowed) tokens -= 1;
    // A full bucket is the same as no entry: forget the key once it would have refilled.
    const expiresAt = now + Math.ceil((capacity - tokens) / perMs);
    this.#entries.set(key, { kind: 'bucket', expiresAt, tokens, at: now });
    const retryAfterMs = allowed ? 0 : Math.ceil((1 - tokens) / perMs);
    return { allowed, remaining: Math.floor(tokens), retryAfterMs };
  }

  #sweep(now: number): void {
    if (now < this.#nextSweep) return;
    this.#nextSweep = now + SWEEP_INTERVAL_MS;
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
  }
}
