import type { Logger } from 'pino';
import {
  inject,
  injectable,
  instanceCachingFactory,
  type DependencyContainer,
  type InjectionToken,
} from 'tsyringe';
import { LOGGER, REDIS } from '../container/tokens';
import { ConfigError, RouteMQError } from '../errors';
import type { MessageContext } from '../pipeline/message-context';
import type { Middleware, MiddlewareClass, Next } from '../pipeline/middleware';
import { RATE_LIMIT_EVENTS, type RateLimitEvents } from './rate-limit-events';
import { encodeKeyPart, keyReader, type RateLimitKey } from './rate-limit-key';
import { RedisRateLimitStore, type RedisScripting } from './rate-limit-redis-store';
import {
  MemoryRateLimitStore,
  type RateLimitAlgorithm,
  type RateLimitRule,
  type RateLimitStore,
} from './rate-limit-store';

/** Options of {@link RateLimit}. */
export interface RateLimitOptions {
  /** Messages allowed per window, per key. */
  limit: number;
  /** The window in ms (token bucket: the time in which `limit` tokens are refilled). */
  windowMs: number;
  /** `sliding-window` (default: exact, keeps one timestamp per allowed message), `fixed-window`, `token-bucket`. */
  algorithm?: RateLimitAlgorithm;
  /** Token bucket only: the largest burst (bucket size); default `limit`. */
  burst?: number;
  /** Whose budget a message spends (default `'route'`: one for the whole route). */
  key?: RateLimitKey;
  /** The user property `key: 'client'` reads (default `client_id`). */
  clientProperty?: string;
  /**
   * What happens to a message over the limit: `drop` (default: acknowledged, the handler does not run)
   * or `dead-letter` (ERR_RATE_LIMITED, not retried, published to the route's dead-letter topic).
   */
  onLimit?: 'drop' | 'dead-letter';
  /** Budgets are per route; routes given the same name share theirs. */
  name?: string;
  /** Key prefix in the store (default `routemq:rate-limit`). */
  prefix?: string;
  /**
   * `app` (default): the app's {@link RATE_LIMIT_STORE}, Redis when `REDIS_URL` is set (one limit over
   * every process) else in this process; `memory`: a store of this middleware alone, in this process.
   */
  store?: 'app' | 'memory';
}

/**
 * Injection token of the store `RateLimit` middleware keep their counts in. createApp registers one per
 * app: Redis when `REDIS_URL` is set, else an in-process store (so routes sharing a `name` share it).
 * Register a provider for it to use another store.
 *
 * @example
 * ```ts
 * @Module({ providers: [{ token: RATE_LIMIT_STORE, useValue: new MemoryRateLimitStore() }] })
 * ```
 */
export const RATE_LIMIT_STORE: unique symbol = Symbol('routemq.RATE_LIMIT_STORE');

/**
 * Registers the app's default {@link RATE_LIMIT_STORE}, made on first use: Redis when the container
 * has `REDIS`, else in-process.
 *
 * @example
 * ```ts
 * registerRateLimitStore(container);
 * ```
 */
export function registerRateLimitStore(container: DependencyContainer): void {
  container.register(RATE_LIMIT_STORE, {
    useFactory: instanceCachingFactory((c) =>
      c.isRegistered(REDIS, true)
        ? new RedisRateLimitStore(c.resolve(REDIS as InjectionToken<RedisScripting>))
        : new MemoryRateLimitStore(),
    ),
  });
}

/**
 * A middleware class that limits how many messages reach the handler. Over the limit, a message is
 * dropped or dead-lettered (`onLimit`), counted in `routemq_messages_rate_limited_total`, and marked
 * `ctx.state.rateLimited = true`. Budgets live in Redis when `REDIS_URL` is set (one limit for all
 * processes, decided atomically by a Lua script), else in this process.
 *
 * @example
 * ```ts
 * @Topic('devices/{device_id}/telemetry', { qos: 1 })
 * @UseMiddleware(RateLimit({ limit: 10, windowMs: 1000, key: { param: 'device_id' } }))
 * telemetry(@Payload() reading: Reading) { ... }
 * ```
 */
export function RateLimit(options: RateLimitOptions): MiddlewareClass {
  const rule = ruleOf(options);
  const keyOf = keyReader(options.key ?? 'route', options.clientProperty ?? 'client_id');
  const onLimit = options.onLimit ?? 'drop';
  const prefix = `${options.prefix ?? 'routemq:rate-limit'}:${rule.algorithm}`;

  @injectable()
  class RateLimitMiddleware implements Middleware {
    readonly store: RateLimitStore;

    constructor(
      @inject(RATE_LIMIT_STORE, { isOptional: true }) appStore?: RateLimitStore,
      @inject(RATE_LIMIT_EVENTS, { isOptional: true }) private readonly events?: RateLimitEvents,
      @inject(LOGGER, { isOptional: true }) logger?: Logger,
    ) {
      this.store = (options.store !== 'memory' && appStore) || new MemoryRateLimitStore();
      if (this.store instanceof MemoryRateLimitStore) {
        logger?.info(
          { limit: rule.limit, windowMs: rule.windowMs },
          'RateLimit keeps its counts in this process: each process allows the limit on its own (set REDIS_URL for one limit over all processes)',
        );
      }
    }

    async handle(ctx: MessageContext, next: Next): Promise<unknown> {
      const id = keyOf(ctx);
      if (id === undefined) return next();
      const budget = options.name ?? ctx.route.handler;
      const decision = await this.store.consume(
        `${prefix}:${encodeKeyPart(budget)}:${encodeKeyPart(id)}`,
        rule,
      );
      if (decision.allowed) return next();
      ctx.state.rateLimited = true;
      const fields = {
        rateLimitKey: id,
        limit: rule.limit,
        windowMs: rule.windowMs,
        retryAfterMs: decision.retryAfterMs,
      };
      if (onLimit === 'drop') {
        this.events?.limited(ctx.route.handler, 'dropped');
        ctx.logger.debug(fields, 'rate limit exceeded; message dropped');
        return undefined;
      }
      this.events?.limited(ctx.route.handler, 'dead_lettered');
      throw new RouteMQError(
        'ERR_RATE_LIMITED',
        `${ctx.route.handler}: more than ${rule.limit} messages in ${rule.windowMs} ms for key ${JSON.stringify(id)} ` +
          `(${rule.algorithm}); dead-lettered. Retry after ${decision.retryAfterMs} ms, or raise the limit.`,
      );
    }
  }
  return RateLimitMiddleware;
}

function ruleOf(options: RateLimitOptions): RateLimitRule {
  const problems: string[] = [];
  const whole = (name: string, value: unknown, optional = false): void => {
    if (optional && value === undefined) return;
    if (!(Number.isInteger(value) && (value as number) >= 1)) {
      problems.push(`RateLimit: ${name} must be a whole number of at least 1 (got ${JSON.stringify(value)})`);
    }
  };
  whole('limit', options.limit);
  whole('windowMs', options.windowMs);
  whole('burst', options.burst, true);
  const algorithm = options.algorithm ?? 'sliding-window';
  if (!['fixed-window', 'sliding-window', 'token-bucket'].includes(algorithm)) {
    problems.push(
      `RateLimit: algorithm must be fixed-window, sliding-window or token-bucket (got ${JSON.stringify(algorithm)})`,
    );
  }
  if (problems.length > 0) throw new ConfigError('ERR_ROUTE_INVALID', problems, 'Invalid RateLimit options');
  return { algorithm, limit: options.limit, windowMs: options.windowMs, burst: options.burst };
}
