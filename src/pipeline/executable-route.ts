import type { BatchRoute } from '../batch/batch-route';
import type { Limiter } from '../concurrency/limiter';
import { compose, type Chain, type Terminal } from './compose';
import type { RetryPolicy } from '../retry/retry-policy';
import type { RouteInfo } from './message-context';
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
  /** Set on batch routes: the chain's terminal joins the message to a batch (docs/batching.md). */
  readonly batch?: BatchRoute;
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
  // Not async: the chain awaits whatever the terminal returns, and an async wrapper around the
  // handler's own promise cost extra microtasks per message (docs/benchmarks.md). A synchronous throw
  // still becomes a rejection, inside the chain's async functions.
  const terminal: Terminal =
    args.length === 0
      ? (ctx) => handler(ctx)
      : (ctx) => {
          const values = resolveArguments(args, ctx);
          return Array.isArray(values) ? handler(...values) : values.then((resolved) => handler(...resolved));
        };
  return middleware.length === 0 ? runTerminalOnly(terminal) : compose(middleware, terminal);
}

function runTerminalOnly(terminal: Terminal): Chain {
  return async (ctx) => {
    ctx.result = await terminal(ctx);
    return ctx.result;
  };
}
