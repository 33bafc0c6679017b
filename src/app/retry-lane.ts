import type { Logger } from 'pino';
import type { Dispatcher } from '../pipeline/dispatcher';
import type { ExecutableRoute } from '../pipeline/executable-route';
import {
  fromRetryEnvelope,
  messageOf,
  toRetryEnvelope,
  type RetryEnvelope,
} from '../pipeline/retry-envelope';
import type { RetryScheduler } from '../pipeline/route-runner';
import type { DeliveryOutcome, InboundMessage, Transport } from '../transport/transport';

/**
 * Retries through the broker, on a second MQTT session of this process. A failed message is
 * published (QoS 1) to this process's retry topic with its next attempt and the time it may run, then
 * the original delivery is acknowledged: MQTT acknowledgements go out in arrival order per connection
 * [MQTT-4.6.0-2], so a message waiting in place for its backoff would hold back every later message of
 * every route (issue 4, scenario 3). The retry waits on this second connection instead, and survives a
 * crash: the session is persistent whenever the main one is.
 *
 * @example
 * ```ts
 * const lane = await RetryLane.open(connection.openSibling('retry'), 'routemq/retry/worker-1', routes, dispatcher, logger);
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
  ): Promise<RetryLane> {
    const lane = new RetryLane(transport, topic, routes, dispatcher, logger);
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
    await this.transport.publish(this.topic, Buffer.from(JSON.stringify(envelope)), { qos: 1 });
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
    const envelope = fromRetryEnvelope(message.payload);
    const route = envelope && this.#byHandler.get(envelope.route);
    if (!envelope || !route) {
      // Not ours to run (an old envelope after the route was renamed): say so, do not loop on it.
      this.logger.error(
        { topic: message.topic, route: envelope?.route },
        'retry envelope for no known route; dropped',
      );
      return 'acknowledge';
    }
    if (!(await waitUntil(envelope.notBefore, this.#stopping.signal))) return 'withhold';
    return this.dispatcher.runAgain(route, messageOf(envelope), paramsOf(envelope), envelope.attempt);
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

function paramsOf(envelope: RetryEnvelope): Record<string, string> {
  const params: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, value] of Object.entries(envelope.params))
    if (typeof value === 'string') params[key] = value;
  return params;
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
