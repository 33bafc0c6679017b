import type { Logger } from 'pino';
import type { Dispatcher } from '../pipeline/dispatcher';
import type { ExecutableRoute } from '../pipeline/executable-route';
import { messageOf, openRetryEnvelope, sealRetryEnvelope, toRetryEnvelope } from '../pipeline/retry-envelope';
import type { RetryScheduler } from '../pipeline/route-runner';
import type { DeliveryOutcome, InboundMessage, Transport } from '../transport/transport';
import { checkEnvelope, type EnvelopeDropReason } from './retry-envelope-check';

/** What the lane needs besides its transport: the HMAC key and where to count dropped envelopes. */
export interface RetryLaneSecurity {
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
 * every route (issue 4, scenario 3). The retry waits on this second connection instead, and survives a
 * crash: the session is persistent whenever the main one is.
 *
 * Envelopes are sealed with an HMAC under RETRY_SECRET and checked again on the way back
 * (retry-envelope-check.ts); whatever fails is dropped with one warning and counted, never run.
 *
 * @example
 * ```ts
 * const lane = await RetryLane.open(connection.openSibling('retry'), 'routemq/retry/worker-1', routes, dispatcher, logger, { secret });
 * dispatcher.useRetryScheduler(lane);
 * ```
 */
export class RetryLane implements RetryScheduler {
  readonly #byHandler: ReadonlyMap<string, ExecutableRoute>;
  readonly #stopping = new AbortController();

  private constructor(
    private readonly transport: Transport,
    private readonly topic: string,
    routes: readonly ExecutableRoute[],
    private readonly dispatcher: Dispatcher,
    private readonly logger: Logger,
    private readonly security: RetryLaneSecurity,
  ) {
    this.#byHandler = new Map(routes.map((route) => [route.info.handler, route]));
  }

  /** Connects the lane's session and subscribes its topic (QoS 1). */
  static async open(
    transport: Transport,
    topic: string,
    routes: readonly ExecutableRoute[],
    dispatcher: Dispatcher,
    logger: Logger,
    security: RetryLaneSecurity,
  ): Promise<RetryLane> {
    const lane = new RetryLane(transport, topic, routes, dispatcher, logger, security);
    await transport.connect((message) => lane.#receive(message));
    await transport.subscribe([{ topic, qos: 1 }]);
    return lane;
  }

  async schedule(
    route: ExecutableRoute,
    message: InboundMessage,
    params: Readonly<Record<string, string>>,
    attempt: number,
    notBefore: number,
  ): Promise<void> {
    const envelope = toRetryEnvelope(route.info.handler, message, params, attempt, notBefore);
    await this.transport.publish(this.topic, sealRetryEnvelope(envelope, this.security.secret), { qos: 1 });
  }

  /** Ends the waits of retries not started yet: they stay with the broker for the next start. */
  stopIntake(): void {
    this.#stopping.abort();
  }

  /** Disconnects the lane's session (after the retries running finished or the bound passed). */
  async close(timeoutMs?: number): Promise<void> {
    this.#stopping.abort();
    await this.transport.close({ timeoutMs });
  }

  async #receive(message: InboundMessage): Promise<DeliveryOutcome> {
    const envelope = openRetryEnvelope(message.payload, this.security.secret);
    if (!envelope) return this.#drop('unauthenticated', 'no valid HMAC under RETRY_SECRET', message);
    const route = this.#byHandler.get(envelope.route);
    // Not ours to run (an old envelope after the route was renamed): say so, do not loop on it.
    if (!route) return this.#drop('unknown_route', `no route ${JSON.stringify(envelope.route)}`, message);
    const verdict = checkEnvelope(envelope, route, Date.now());
    if (!verdict.ok) return this.#drop(verdict.reason, verdict.detail, message);
    if (!(await waitUntil(envelope.notBefore, this.#stopping.signal))) return 'withhold';
    return this.dispatcher.runAgain(route, messageOf(envelope), verdict.params, envelope.attempt);
  }

  /** One warning and one count per dropped envelope; acknowledged, so that it never comes back. */
  #drop(reason: EnvelopeDropReason, detail: string, message: InboundMessage): DeliveryOutcome {
    this.logger.warn(
      { topic: message.topic, reason, bytes: message.payload.length },
      `retry envelope dropped, not run: ${detail}. If several processes or a restart share retries, give them the same RETRY_SECRET.`,
    );
    this.security.dropped?.(reason);
    return 'acknowledge';
  }
}

/** The topic prefix of every process's retry lane (no device may use it on the embedded broker). */
export const RETRY_TOPIC_PREFIX = 'routemq/retry';

/** The retry topic of one process: `<prefix>/<client id>`, the id made safe for a topic level. */
export function retryTopicOf(prefix: string, clientId: string): string {
  const level = [...clientId].map((c) =>
    c === '/' || c === '+' || c === '#' || c === '$' || c === '\u0000' ? '_' : c,
  );
  return `${prefix}/${level.join('')}`;
}

function waitUntil(time: number, signal: AbortSignal): Promise<boolean> {
  const delay = time - Date.now();
  if (delay <= 0) return Promise.resolve(!signal.aborted);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, delay);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
