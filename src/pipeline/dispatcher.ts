import type { Logger } from 'pino';
import { InFlightTracker } from '../concurrency/in-flight-tracker';
import type { RouteTable } from '../routing/route-table';
import type { DeliveryOutcome, InboundMessage } from '../transport/transport';
import { createDispatchStats, type DispatchStats } from './dispatch-stats';
import type { ExecutableRoute } from './executable-route';
import type { PublishFn } from './message-context';
import { runRoute, type RouteOutcome } from './route-runner';

export type { RouteOutcome } from './route-runner';

/** What the dispatcher needs from the app. */
export interface DispatcherDeps {
  readonly logger: Logger;
  readonly publish: PublishFn;
  /** Route by MQTT 5 subscription identifiers when the transport echoes them (docs/routing.md). */
  readonly useSubscriptionIds: boolean;
}

/**
 * Runs every route a message matches, each once, within the route's concurrency limit; retries and
 * dead-letters failures (route-runner.ts). Nothing it does throws into the transport, which acknowledges
 * the message once `handle` settles, unless the app stopped first (then the message is withheld and the
 * broker redelivers it: at-least-once, DESIGN section 4).
 *
 * @example
 * ```ts
 * const dispatcher = new Dispatcher(table, { logger, publish, useSubscriptionIds: true });
 * await transport.connect(dispatcher.handle);
 * ```
 */
export class Dispatcher {
  readonly stats: DispatchStats = createDispatchStats();
  readonly #inFlight = new InFlightTracker();
  readonly #stopping = new AbortController();

  constructor(
    private readonly table: RouteTable<ExecutableRoute>,
    private readonly deps: DispatcherDeps,
  ) {}

  /** The transport's message handler. */
  readonly handle = async (message: InboundMessage): Promise<DeliveryOutcome> => {
    const outcomes = await this.dispatch(message);
    return outcomes === undefined || outcomes.some((o) => o.withheld) ? 'withhold' : 'acknowledge';
  };

  /** Messages being processed right now. */
  get inFlight(): number {
    return this.#inFlight.count;
  }

  /**
   * Runs the routes matching the message and reports what each did; undefined when the app is
   * stopping and the message was not taken in.
   */
  dispatch(message: InboundMessage): Promise<RouteOutcome[] | undefined> {
    if (this.#stopping.signal.aborted) {
      this.stats.withheld++;
      return Promise.resolve(undefined);
    }
    this.stats.received++;
    return this.#inFlight.track(this.#dispatchNow(message));
  }

  /** Stops taking new messages and ends retry waits; the runs in progress go on. */
  stopIntake(): void {
    this.#stopping.abort();
  }

  /** Waits until nothing is in flight or the time is up; true when drained. */
  drain(timeoutMs: number): Promise<boolean> {
    return this.#inFlight.idle(timeoutMs);
  }

  #dispatchNow(message: InboundMessage): Promise<RouteOutcome[]> {
    const ids = this.deps.useSubscriptionIds ? subscriptionIdsOf(message) : undefined;
    const matches = this.table.match(message.topic, ids);
    if (matches.length === 0) {
      this.stats.unmatched++;
      this.deps.logger.debug({ topic: message.topic }, 'no route matches this topic');
      return Promise.resolve([]);
    }
    const runner = { ...this.deps, stats: this.stats, stopping: this.#stopping.signal };
    return Promise.all(
      matches.map(({ route, params }) => route.limiter.run(() => runRoute(route, params, message, runner))),
    );
  }
}

function subscriptionIdsOf(message: InboundMessage): readonly number[] | undefined {
  const ids = message.properties.subscriptionIdentifier;
  if (ids === undefined) return undefined;
  return typeof ids === 'number' ? [ids] : ids;
}
