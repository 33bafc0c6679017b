import type { Logger } from 'pino';
import type { DeliveryOutcome, InboundMessage, Transport } from '../transport/transport';
import { sleepUntil } from './abortable-sleep';
import { checkEnvelope, type EnvelopeDropReason, type LaneRoute } from './retry-envelope-check';
import { messageOf, openRetryEnvelope, sealRetryEnvelope, toRetryEnvelope } from './retry-envelope';
import type { RetryScheduler, RetryTarget, ScheduledRetry } from './retry-scheduler';

/** The topic prefix of every process's retry lane (no device may use it on the embedded broker). */
export const RETRY_TOPIC_PREFIX = 'routemq/retry';

/** What opening a lane needs. */
export interface RetryLaneOptions {
  /** The lane's own session (a sibling of the main connection). */
  readonly transport: Transport;
  /** This process's id (its MQTT client id): the lane's topic is made from it. */
  readonly processId: string;
  /** The routes a retry may name (checked against the envelope before it runs). */
  readonly routes: readonly LaneRoute[];
  /** Runs the retries the lane hands back (the dispatcher). */
  readonly target: RetryTarget;
  readonly logger: Logger;
  /** RETRY_SECRET, or a random key of this process when unset. */
  readonly secret: string;
  /** Called once per dropped envelope (the `routemq_retry_envelopes_dropped_total` counter). */
  readonly dropped?: (reason: EnvelopeDropReason) => void;
}

/**
 * Retries through the broker, on a second MQTT session of this process. A failed message is
 * published (QoS 1) to this process's retry topic with its next attempt and the time it may run, then
 * the original delivery is acknowledged: MQTT acknowledgements go out in arrival order per connection
 * [MQTT-4.6.0-2], so a message waiting in place for its backoff would hold back every later message of
 * every route (docs/reliability.md, "The retry lane"). The retry waits on this second connection
 * instead, and survives a crash: the session is persistent whenever the main one is.
 *
 * Envelopes are sealed with an HMAC under RETRY_SECRET and checked again on the way back
 * (retry-envelope-check.ts); whatever fails is dropped with one warning and counted, never run.
 *
 * @example
 * ```ts
 * const lane = await RetryLane.open({ transport, processId, routes, target: dispatcher, logger, secret });
 * // ... at stop: lane.stopIntake(), then lane.close() after the dispatcher drained
 * ```
 */
export class RetryLane implements RetryScheduler {
  readonly #stopping = new AbortController();
  readonly #options: RetryLaneOptions;
  readonly #topic: string;
  readonly #byHandler: ReadonlyMap<string, LaneRoute>;

  private constructor(options: RetryLaneOptions) {
    this.#options = options;
    this.#topic = retryTopicOf(RETRY_TOPIC_PREFIX, options.processId);
    this.#byHandler = new Map(options.routes.map((route) => [route.info.handler, route]));
  }

  /**
   * Connects the lane's session, subscribes its topic (QoS 1), and makes it the target's scheduler: from
   * then on failed messages come here instead of waiting in-process.
   */
  static async open(options: RetryLaneOptions): Promise<RetryLane> {
    const lane = new RetryLane(options);
    await options.transport.connect((message) => lane.#receive(message));
    await options.transport.subscribe([{ topic: lane.#topic, qos: 1 }]);
    options.target.useRetryScheduler(lane);
    return lane;
  }

  /** The topic this lane's retries wait on. */
  get topic(): string {
    return this.#topic;
  }

  async schedule(retry: ScheduledRetry): Promise<void> {
    const { route, message, params, attempt, notBefore } = retry;
    const envelope = toRetryEnvelope(route, message, params, attempt, notBefore);
    await this.#options.transport.publish(this.#topic, sealRetryEnvelope(envelope, this.#options.secret), {
      qos: 1,
    });
  }

  /** Ends the waits of retries not started yet: they stay with the broker for the next start. */
  stopIntake(): void {
    this.#stopping.abort();
  }

  /** Disconnects the lane's session (after the retries running finished or the bound passed). */
  async close(timeoutMs?: number): Promise<void> {
    this.#stopping.abort();
    await this.#options.transport.close({ timeoutMs });
  }

  async #receive(message: InboundMessage): Promise<DeliveryOutcome> {
    const envelope = openRetryEnvelope(message.payload, this.#options.secret);
    if (!envelope) return this.#drop('unauthenticated', 'no valid HMAC under RETRY_SECRET', message);
    const route = this.#byHandler.get(envelope.route);
    // Not ours to run (an old envelope after the route was renamed): say so, do not loop on it.
    if (!route) return this.#drop('unknown_route', `no route ${JSON.stringify(envelope.route)}`, message);
    const verdict = checkEnvelope(envelope, route, Date.now());
    if (!verdict.ok) return this.#drop(verdict.reason, verdict.detail, message);
    if (!(await sleepUntil(envelope.notBefore, this.#stopping.signal))) return 'withhold';
    const retry: ScheduledRetry = {
      route: envelope.route,
      message: messageOf(envelope),
      params: verdict.params,
      attempt: envelope.attempt,
      notBefore: envelope.notBefore,
    };
    return this.#options.target.runAgain(retry) ?? this.#drop('unknown_route', 'no such route', message);
  }

  /** One warning and one count per dropped envelope; acknowledged, so that it never comes back. */
  #drop(reason: EnvelopeDropReason, detail: string, message: InboundMessage): DeliveryOutcome {
    this.#options.logger.warn(
      { topic: message.topic, reason, bytes: message.payload.length },
      `retry envelope dropped, not run: ${detail}. If several processes or a restart share retries, give them the same RETRY_SECRET.`,
    );
    this.#options.dropped?.(reason);
    return 'acknowledge';
  }
}

/** The retry topic of one process: `<prefix>/<client id>`, the id made safe for a topic level. */
export function retryTopicOf(prefix: string, clientId: string): string {
  const level = [...clientId].map((c) =>
    c === '/' || c === '+' || c === '#' || c === '$' || c === '\u0000' ? '_' : c,
  );
  return `${prefix}/${level.join('')}`;
}
