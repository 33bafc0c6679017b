import { inject, injectable } from 'tsyringe';
import { REDIS } from '../container/tokens';
import { RouteMQError } from '../errors';
import type { MessageContext } from '../pipeline/message-context';
import type { Middleware, MiddlewareClass, Next } from '../pipeline/middleware';
import {
  MemoryIdempotencyStore,
  RedisIdempotencyStore,
  type IdempotencyStore,
  type RedisCommands,
} from './idempotency-store';

/** Options of {@link Idempotent}. */
export interface IdempotentOptions {
  /** The message's identity: a business id from the payload or topic; undefined skips the check. */
  key: (ctx: MessageContext) => string | undefined;
  /** How long a processed key is remembered (default 24 h). */
  ttlSeconds?: number;
  /** How long a claim may stay "being processed" before another delivery may take it (default 60 s). */
  processingSeconds?: number;
  /** Key prefix in the store (default `routemq:idempotency`). */
  prefix?: string;
}

/**
 * A middleware class that drops duplicates: a message whose key was already processed does not reach
 * the handler (it is acknowledged, and `ctx.state.duplicate` is true for middleware before it). Keys live
 * in Redis when `REDIS_URL` is set (shared by every process), else in an in-process store (per process).
 * A delivery arriving while another one with the same key is still running is retried until that one
 * finished. A handler that fails releases its key, so the retry or redelivery runs it.
 *
 * @example
 * ```ts
 * @Topic('orders/{order_id}/pay', { qos: 1 })
 * @UseMiddleware(Idempotent({ key: (ctx) => ctx.params.order_id }))
 * async pay(@Param('order_id') id: string) { await this.payments.charge(id); }
 * ```
 */
export function Idempotent(options: IdempotentOptions): MiddlewareClass {
  const ttlMs = (options.ttlSeconds ?? 86_400) * 1000;
  const processingMs = (options.processingSeconds ?? 60) * 1000;
  const prefix = options.prefix ?? 'routemq:idempotency';

  @injectable()
  class IdempotentMiddleware implements Middleware {
    readonly store: IdempotencyStore;

    constructor(@inject(REDIS, { isOptional: true }) redis?: RedisCommands) {
      this.store = redis ? new RedisIdempotencyStore(redis) : new MemoryIdempotencyStore();
    }

    async handle(ctx: MessageContext, next: Next): Promise<unknown> {
      const id = options.key(ctx);
      if (id === undefined) return next();
      const key = `${prefix}:${ctx.route.handler}:${id}`;
      const claim = await this.store.claim(key, processingMs);
      if (claim === 'done') {
        ctx.state.duplicate = true;
        ctx.logger.info({ idempotencyKey: id }, 'duplicate message dropped');
        return undefined;
      }
      if (claim === 'busy') throw inProgress(id, ctx);
      try {
        const result = await next();
        await this.store.complete(key, ttlMs);
        return result;
      } catch (error) {
        await this.store.release(key);
        throw error;
      }
    }
  }
  return IdempotentMiddleware;
}

function inProgress(id: string, ctx: MessageContext): RouteMQError {
  return new RouteMQError(
    'ERR_DUPLICATE_IN_PROGRESS',
    `Message ${JSON.stringify(id)} on ${ctx.route.handler} is being processed by another delivery; retrying until it finished.`,
  );
}
