import type { MessageContext } from './message-context';

/**
 * Calls the rest of the chain (the next middleware, or the handler). Resolves with the handler's result
 * (`ctx.result`) once everything downstream finished.
 */
export type Next = () => Promise<unknown>;

/**
 * A class middleware, resolved once from the app's container (so it may inject dependencies).
 * Runs in the order global -> module -> controller -> method; a middleware that does not call
 * `next()` stops the chain (the handler does not run, nothing is replied).
 *
 * @example
 * ```ts
 * class Timing implements Middleware {
 *   async handle(ctx: MessageContext, next: Next) {
 *     const started = performance.now();
 *     const result = await next();
 *     ctx.logger.info({ ms: performance.now() - started }, 'handled');
 *     return result;
 *   }
 * }
 * ```
 */
export interface Middleware {
  handle(ctx: MessageContext, next: Next): unknown;
}

/** A middleware class, as given to `@UseMiddleware(...)`. */
export type MiddlewareClass = new (...args: never[]) => Middleware;
