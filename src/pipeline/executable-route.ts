import type { Limiter } from '../concurrency/limiter';
import { compose, type Chain } from './compose';
import type { RetryPolicy } from './retry-policy';
import type { MessageContext, RouteInfo } from './message-context';
import type { Middleware } from './middleware';
import { resolveArguments, type ArgumentSpec } from './handler-arguments';

/** What the dispatcher needs of a route: who it is, how to run it, where its result goes. */
export interface ExecutableRoute {
  readonly info: RouteInfo;
  readonly qos: 0 | 1 | 2;
  /** Renders the reply topic for this message's params, or undefined when the route has no `reply`. */
  readonly replyTopic?: (params: Readonly<Record<string, string>>) => string;
  readonly run: Chain;
  /** Bounds how many messages this route handles at once (1 keeps arrival order). */
  readonly limiter: Limiter;
  readonly retry: RetryPolicy;
  /** Dead-letter topic of a failed message's topic, or undefined when failures are only logged. */
  readonly deadLetterTopic?: (topic: string) => string;
  readonly maxPayloadBytes: number;
}

/** A handler bound to its controller instance. */
export type BoundHandler = (...args: unknown[]) => unknown;

/**
 * Builds the chain of one route: its middleware instances around a terminal that resolves the handler's
 * arguments and calls it.
 *
 * @example
 * ```ts
 * const run = buildChain([timing], handler.bind(controller), params);
 * await run(ctx);
 * ```
 */
export function buildChain(
  middleware: readonly Middleware[],
  handler: BoundHandler,
  args: readonly ArgumentSpec[],
): Chain {
  const terminal =
    args.length === 0
      ? async (ctx: MessageContext) => handler(ctx)
      : async (ctx: MessageContext) => handler(...(await resolveArguments(args, ctx)));
  return middleware.length === 0 ? runTerminalOnly(terminal) : compose(middleware, terminal);
}

function runTerminalOnly(terminal: (ctx: MessageContext) => Promise<unknown>): Chain {
  return async (ctx) => {
    ctx.result = await terminal(ctx);
    return ctx.result;
  };
}
