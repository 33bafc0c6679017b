import { RouteMQError } from '../errors';
import type { MessageContext } from './message-context';
import type { Middleware } from './middleware';

/** The end of a chain: runs the handler and returns its result, or a promise of it. */
export type Terminal = (ctx: MessageContext) => unknown;

/** A composed chain: resolves with `ctx.result` when the whole chain finished. */
export type Chain = (ctx: MessageContext) => Promise<unknown>;

/**
 * Composes middleware around a terminal handler, onion style. `next()` resolves with `ctx.result`
 * (the handler's return value, possibly changed by inner middleware), so middleware sees the result.
 * A second `next()` call from the same middleware rejects with ERR_NEXT_CALLED_TWICE: running the
 * handler twice for one message would break at-least-once accounting.
 *
 * @example
 * ```ts
 * const chain = compose([new Audit()], async (ctx) => handler(ctx));
 * await chain(ctx);
 * ```
 */
export function compose(middlewares: readonly Middleware[], terminal: Terminal): Chain {
  return (ctx) => {
    let lastIndex = -1;
    const run = async (index: number): Promise<unknown> => {
      if (index <= lastIndex) throw nextCalledTwice(middlewares[index - 1]);
      lastIndex = index;
      if (index === middlewares.length) {
        ctx.result = await terminal(ctx);
        return ctx.result;
      }
      await middlewares[index].handle(ctx, () => run(index + 1));
      return ctx.result;
    };
    return run(0);
  };
}

function nextCalledTwice(middleware: Middleware | undefined): RouteMQError {
  const name = middleware?.constructor.name ?? 'a middleware';
  return new RouteMQError(
    'ERR_NEXT_CALLED_TWICE',
    `${name} called next() more than once for one message. Call next() exactly once (or not at all to stop the chain).`,
  );
}
