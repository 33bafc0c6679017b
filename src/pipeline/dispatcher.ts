import type { Logger } from 'pino';
import type { RouteTable } from '../routing/route-table';
import type { InboundMessage } from '../transport/transport';
import type { ExecutableRoute } from './executable-route';
import { MessageContext, type PublishFn, type RouteInfo } from './message-context';
import { publishReply } from './reply';
import { InFlightTracker } from './in-flight-tracker';

/** What happened to one message on one route. */
export interface RouteOutcome {
  readonly route: RouteInfo;
  readonly result?: unknown;
  readonly error?: unknown;
}

/** What the dispatcher needs from the app. */
export interface DispatcherDeps {
  readonly logger: Logger;
  readonly publish: PublishFn;
  /** Route by MQTT 5 subscription identifiers when the transport echoes them (docs/routing.md). */
  readonly useSubscriptionIds: boolean;
}

/**
 * Runs every route a message matches, each once and concurrently, isolating failures: an error is
 * logged with route, topic and stack, and never reaches the transport, which acknowledges the message
 * only when `handle` settles (at-least-once, DESIGN section 4).
 *
 * @example
 * ```ts
 * const dispatcher = new Dispatcher(table, { logger, publish, useSubscriptionIds: true });
 * await transport.connect(dispatcher.handle);
 * ```
 */
export class Dispatcher {
  readonly #inFlight = new InFlightTracker();
  #accepting = true;

  constructor(
    private readonly table: RouteTable<ExecutableRoute>,
    private readonly deps: DispatcherDeps,
  ) {}

  /** The transport's message handler. */
  readonly handle = async (message: InboundMessage): Promise<void> => {
    await this.dispatch(message);
  };

  /** Messages being processed right now. */
  get inFlight(): number {
    return this.#inFlight.count;
  }

  /** Runs the routes matching the message and reports what each did. */
  dispatch(message: InboundMessage): Promise<RouteOutcome[]> {
    // After stopIntake the message is left unacknowledged: the broker redelivers it (persistent
    // session) instead of this process half-handling it while it shuts down.
    if (!this.#accepting) return new Promise<RouteOutcome[]>(() => undefined);
    return this.#inFlight.track(this.#dispatchNow(message));
  }

  /** Stops taking new messages; those in flight go on. */
  stopIntake(): void {
    this.#accepting = false;
  }

  /** Waits until nothing is in flight or the time is up; true when drained. */
  drain(timeoutMs: number): Promise<boolean> {
    return this.#inFlight.idle(timeoutMs);
  }

  async #dispatchNow(message: InboundMessage): Promise<RouteOutcome[]> {
    const ids = this.deps.useSubscriptionIds ? subscriptionIdsOf(message) : undefined;
    const matches = this.table.match(message.topic, ids);
    if (matches.length === 0) {
      this.deps.logger.debug({ topic: message.topic }, 'no route matches this topic');
      return [];
    }
    if (matches.length === 1) return [await this.#runRoute(matches[0].route, matches[0].params, message)];
    return Promise.all(matches.map((m) => this.#runRoute(m.route, m.params, message)));
  }

  async #runRoute(
    route: ExecutableRoute,
    params: Readonly<Record<string, string>>,
    message: InboundMessage,
  ): Promise<RouteOutcome> {
    const ctx = new MessageContext(
      message.topic,
      params,
      message,
      route.info,
      this.deps.logger,
      this.deps.publish,
    );
    try {
      await route.run(ctx);
      if (ctx.result !== undefined) await publishReply(ctx, route, this.deps.publish);
      return { route: route.info, result: ctx.result };
    } catch (error) {
      ctx.logger.error({ err: error, messageId: message.messageId }, `handler ${route.info.handler} failed`);
      return { route: route.info, error };
    }
  }
}

function subscriptionIdsOf(message: InboundMessage): readonly number[] | undefined {
  const ids = message.properties.subscriptionIdentifier;
  if (ids === undefined) return undefined;
  return typeof ids === 'number' ? [ids] : ids;
}
