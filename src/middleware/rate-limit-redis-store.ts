/**
 * The Redis rate-limit store: one Lua script per algorithm, so that reading, deciding and counting are
 * one atomic step for every process sharing the Redis (no two processes can both take the last slot).
 * Scripts read Redis' own clock (TIME), so the processes' clocks do not have to agree, and touch only
 * the one key they are given (KEYS[1]), which keeps them valid on Redis Cluster.
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import type {
  RateLimitAlgorithm,
  RateLimitDecision,
  RateLimitRule,
  RateLimitStore,
} from './rate-limit-store';

/** The ioredis commands the store uses (structural: the core does not import ioredis). */
export interface RedisScripting {
  evalsha(sha: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
  eval(script: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
}

// Redis 7 replicates script effects, so TIME before a write is allowed; older servers need this call.
const NOW = `
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/** ARGV: limit, windowMs. A hash {w: window index, c: count}; denied messages are not counted. */
const FIXED_WINDOW = `${NOW}
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local index = math.floor(now / window)
local reset = (index + 1) * window - now
local state = redis.call('HMGET', KEYS[1], 'w', 'c')
local count = 0
if tonumber(state[1]) == index then count = tonumber(state[2]) end
if count >= limit then return {0, 0, reset} end
count = count + 1
redis.call('HSET', KEYS[1], 'w', index, 'c', count)
redis.call('PEXPIRE', KEYS[1], reset)
return {1, limit - count, 0}
`;

/** ARGV: limit, windowMs, a unique member. A sorted set of the allowed messages' times. */
const SLIDING_WINDOW = `${NOW}
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, 0, tonumber(oldest[2]) + window - now}
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return {1, limit - count - 1, 0}
`;

/** ARGV: capacity, tokens per window, windowMs. A hash {t: tokens, at: last update}. */
const TOKEN_BUCKET = `${NOW}
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2]) / tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 't', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then tokens = capacity; at = now end
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate)
local allowed = 0
if tokens >= 1 then tokens = tokens - 1; allowed = 1 end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) / rate) + 1000)
local retry = 0
if allowed == 0 then retry = math.ceil((1 - tokens) / rate) end
return {allowed, math.floor(tokens), retry}
`;

interface Script {
  readonly source: string;
  readonly sha: string;
}

function script(source: string): Script {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

const SCRIPTS: Readonly<Record<RateLimitAlgorithm, Script>> = {
  'fixed-window': script(FIXED_WINDOW),
  'sliding-window': script(SLIDING_WINDOW),
  'token-bucket': script(TOKEN_BUCKET),
};

/**
 * A {@link RateLimitStore} in Redis, shared by every process (workers, instances) using it: the
 * limit holds for all of them together.
 *
 * @example
 * ```ts
 * const store = new RedisRateLimitStore(redis);
 * await store.consume('routemq:rate-limit:sliding-window:Sensors.data:dev-1', { algorithm: 'sliding-window', limit: 100, windowMs: 60_000 });
 * ```
 */
export class RedisRateLimitStore implements RateLimitStore {
  // Members of a sliding window's sorted set must be unique across processes.
  readonly #member = `${randomBytes(6).toString('hex')}:`;
  #sequence = 0;

  constructor(private readonly redis: RedisScripting) {}

  async consume(key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
    const reply = await this.#run(SCRIPTS[rule.algorithm], key, this.#args(rule));
    const [allowed, remaining, retryAfterMs] = (reply as unknown[]).map(Number);
    return { allowed: allowed === 1, remaining, retryAfterMs };
  }

  #args(rule: RateLimitRule): Array<string | number> {
    if (rule.algorithm === 'fixed-window') return [rule.limit, rule.windowMs];
    if (rule.algorithm === 'sliding-window')
      return [rule.limit, rule.windowMs, this.#member + this.#sequence++];
    return [rule.burst ?? rule.limit, rule.limit, rule.windowMs];
  }

  /** EVALSHA, and EVAL once when Redis does not have the script yet (it caches it then). */
  async #run(script: Script, key: string, args: Array<string | number>): Promise<unknown> {
    try {
      return await this.redis.evalsha(script.sha, 1, key, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return this.redis.eval(script.source, 1, key, ...args);
    }
  }
}
