import type { Logger } from 'pino';
import { sleep } from '../retry/abortable-sleep';
import { AttemptTracker, persistentRetryDelay } from '../retry/next-attempt';
import type { RetryScheduler } from '../retry/retry-scheduler';
import type { InboundMessage } from '../transport/transport';
import { deadLetterOf, type DeadLetterSink } from './dead-letter';
import type { DispatchStats } from './dispatch-stats';
import type { RouteObserver } from './dispatch-observer';
import type { ExecutableRoute } from './executable-route';
import { MessageContext, type PublishFn } from './message-context';
import { DEFAULT_JSON_LIMITS, type JsonLimits } from './payload';
import { refusedBeforeParsing } from './payload-refusal';
import { publishReply } from './reply';
import type { RouteOutcome } from './route-outcome';
import { WithholdDelivery } from './withhold-delivery';

/** What a runner needs from the dispatcher (built once, shared by every run). */
export interface RunnerDeps {
  readonly logger: Logger;
  readonly publish: PublishFn;
  readonly stats: DispatchStats;
  /** Aborted when the app stops: retries end and the message is left for redelivery. */
  readonly stopping: AbortSignal;
  /** MAX_JSON_DEPTH / MAX_JSON_KEYS, checked before any parsing (default 32 / 10000). */
  readonly jsonLimits?: JsonLimits;
  /**
   * Hands a failed message back to the broker for its next attempt (the retry lane), so that the
   * message is acknowledged now instead of holding every later acknowledgement through the backoff.
   * Without one (tests over the memory transport), retries wait in-process.
   */
  readonly scheduler?: RetryScheduler;
  /**
   * Keeps dead letters (the durable store, then the dead-letter topic). Without one (tests over the
   * memory transport), dead letters are only published to their topic.
   */
  readonly deadLetters?: DeadLetterSink;
}

type Attempt =
  | { readonly kind: 'done'; readonly ctx: MessageContext }
  | { readonly kind: 'failed'; readonly ctx: MessageContext; readonly error: unknown }
  | { readonly kind: 'stopped' };

/**
 * One route run for one message, to a final outcome: success; or retries (the rule is in
 * src/retry/next-attempt.ts) and then the dead-letter topic; or, while a dependency is unavailable,
 * retries until it is back or the app stops. Never throws: the transport acknowledges once the run
 * settles (unless withheld). Made per message and route; `start` for a delivery, `resume` for a retry
 * the lane handed back.
 *
 * @example
 * ```ts
 * const outcome = await new RouteRunner(route, params, message, deps, watch).start();
 * ```
 */
export class RouteRunner {
  constructor(
    readonly route: ExecutableRoute,
    readonly params: Readonly<Record<string, string>>,
    readonly message: InboundMessage,
    readonly deps: RunnerDeps,
    readonly watch?: RouteObserver,
  ) {}

  /** A fresh delivery: counted as received, payload limits checked, then attempts from 1. */
  start(): Promise<RouteOutcome> {
    if (this.deps.stopping.aborted) return Promise.resolve(this.#outcome(0, { withheld: true }));
    this.watch?.received();
    return this.#checkedFrom(1);
  }

  /** A retry from the lane: received by its first delivery already, and checked again here. */
  resume(attempt: number): Promise<RouteOutcome> {
    if (this.deps.stopping.aborted) return Promise.resolve(this.#outcome(0, { withheld: true }));
    return this.#checkedFrom(attempt);
  }

  /** The pre-parse limits, on retries too: a retry envelope carries the payload again. */
  #checkedFrom(attempt: number): Promise<RouteOutcome> {
    const refused = refusedBeforeParsing(
      this.route,
      this.message,
      this.deps.jsonLimits ?? DEFAULT_JSON_LIMITS,
    );
    if (!refused) return this.#attemptsFrom(attempt);
    this.deps.stats.rejected++;
    this.watch?.rejected(refused.reason);
    return this.#finalFailure(refused.error, 1);
  }

  async #attemptsFrom(first: number): Promise<RouteOutcome> {
    let attempts: AttemptTracker | undefined; // made on the first failure only (the hot path succeeds)
    for (let attempt = first; ; attempt++) {
      // The route's concurrency slot is held for an attempt, not across the backoff between attempts:
      // a message waiting to retry must not stall the messages behind it.
      const outcome = await this.route.limiter.run(() => this.#attempt(attempt));
      if (outcome.kind === 'stopped') return this.#outcome(attempt - 1, { withheld: true });
      if (outcome.kind === 'done')
        return { route: this.route.info, result: outcome.ctx.result, attempts: attempt };
      const { error, ctx } = outcome;
      if (error instanceof WithholdDelivery) return this.#outcome(attempt, { error, withheld: true });
      attempts ??= new AttemptTracker(this.route.retry);
      const next = attempts.next(error, attempt);
      if (!next.retry) return this.#finalFailure(error, attempt, ctx);
      const { delayMs, unavailable } = next;
      ctx.logger[attempt === 1 ? 'warn' : 'debug'](
        { err: error, attempt, delayMs, unavailable },
        `${this.route.info.handler} failed; retrying`,
      );
      this.deps.stats.retried++;
      this.watch?.retried();
      // An unavailable dependency stays here: everything would fail the same way, and waiting in
      // place is the back-pressure.
      if (!unavailable && (await this.#handedToRetryLane(attempt + 1, delayMs))) {
        return this.#outcome(attempt, { error, rescheduled: true });
      }
      if (!(await sleep(delayMs, this.deps.stopping)))
        return this.#outcome(attempt, { error, withheld: true });
    }
  }

  /** One run of the route's chain (and its reply), inside the route's concurrency slot. */
  async #attempt(attempt: number): Promise<Attempt> {
    const { deps, message, watch } = this;
    // Queued behind the route's limiter while the app began stopping: leave it for redelivery.
    if (deps.stopping.aborted) return { kind: 'stopped' };
    const ctx = new MessageContext(
      message.topic,
      this.params,
      message,
      this.route.info,
      deps.logger,
      deps.publish,
      attempt,
    );
    try {
      const startedAt = watch?.attemptStarted() ?? 0;
      try {
        await this.route.run(ctx);
      } finally {
        watch?.attemptEnded(startedAt);
      }
      if (ctx.result !== undefined) await publishReply(ctx, this.route, deps.publish);
      deps.stats.processed++;
      watch?.processed();
      return { kind: 'done', ctx };
    } catch (error) {
      return { kind: 'failed', ctx, error };
    }
  }

  /** False when there is no lane or the broker did not take the message (then the retry waits here). */
  async #handedToRetryLane(attempt: number, delayMs: number): Promise<boolean> {
    const { scheduler, logger } = this.deps;
    if (!scheduler) return false;
    const route = this.route.info.handler;
    try {
      const notBefore = Date.now() + delayMs;
      await scheduler.schedule({ route, message: this.message, params: this.params, attempt, notBefore });
      return true;
    } catch (error) {
      logger.warn({ err: error, route }, 'retry lane unavailable; retrying in-process');
      return false;
    }
  }

  async #finalFailure(error: unknown, attempts: number, ctx?: MessageContext): Promise<RouteOutcome> {
    const { deps, route, message, watch } = this;
    deps.stats.failed++;
    watch?.failed();
    const logger = ctx?.logger ?? deps.logger.child({ route: route.info.handler, topic: message.topic });
    const topic = route.deadLetterTopic?.(message.topic);
    logger.error({ err: error, attempts, deadLetter: topic }, `${route.info.handler} failed`);
    if (topic === undefined) return this.#outcome(attempts, { error });
    if (!(await this.#publishDeadLetter(topic, error, attempts))) {
      return this.#outcome(attempts, { error, withheld: true });
    }
    deps.stats.deadLettered++;
    watch?.deadLettered();
    return this.#outcome(attempts, { error, deadLettered: true });
  }

  /** Publishes the dead letter, retrying while the broker is unreachable; false if the app stopped first. */
  async #publishDeadLetter(topic: string, error: unknown, attempts: number): Promise<boolean> {
    const { deps } = this;
    const body = deadLetterOf(this.message, this.route.info, error, attempts, this.route.maxPayloadBytes);
    for (let tries = 1; ; tries++) {
      try {
        if (deps.deadLetters) await deps.deadLetters.keep(topic, body);
        else await deps.publish(topic, body, { qos: 1 });
        return true;
      } catch (publishError) {
        deps.logger.warn({ err: publishError, topic }, 'dead letter not kept yet; retrying');
        if (!(await sleep(persistentRetryDelay(this.route.retry, tries), deps.stopping))) return false;
      }
    }
  }

  #outcome(attempts: number, rest: Omit<RouteOutcome, 'route' | 'attempts'>): RouteOutcome {
    return { route: this.route.info, attempts, ...rest };
  }
}
