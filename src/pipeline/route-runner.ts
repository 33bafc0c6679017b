import type { Logger } from 'pino';
import { RouteMQError } from '../errors';
import type { InboundMessage } from '../transport/transport';
import { deadLetterOf } from './dead-letter';
import type { DispatchStats } from './dispatch-stats';
import type { ExecutableRoute } from './executable-route';
import { MessageContext, type PublishFn, type RouteInfo } from './message-context';
import { publishReply } from './reply';
import { isUnavailableError, retryDelay } from './retry-policy';

/** What happened to one message on one route. */
export interface RouteOutcome {
  readonly route: RouteInfo;
  readonly result?: unknown;
  readonly error?: unknown;
  /** Attempts made (1 when it worked the first time). */
  readonly attempts: number;
  /** True when the message was published to the route's dead-letter topic. */
  readonly deadLettered?: boolean;
  /** True when the app stopped before the route finished: the message must not be acknowledged. */
  readonly withheld?: boolean;
}

/** What a runner needs from the dispatcher. */
export interface RunnerDeps {
  readonly logger: Logger;
  readonly publish: PublishFn;
  readonly stats: DispatchStats;
  /** Aborted when the app stops: retries end and the message is left for redelivery. */
  readonly stopping: AbortSignal;
}

/**
 * Runs one route for one message to a final outcome: success; or retries (exponential backoff with
 * jitter) and then the dead-letter topic; or, while a dependency is unavailable, retries until it is
 * back or the app stops. Never throws: the transport acknowledges once this settles (unless withheld).
 */
export async function runRoute(
  route: ExecutableRoute,
  params: Readonly<Record<string, string>>,
  message: InboundMessage,
  deps: RunnerDeps,
): Promise<RouteOutcome> {
  // Queued behind the route's limiter while the app began stopping: leave it for redelivery.
  if (deps.stopping.aborted) return { route: route.info, attempts: 0, withheld: true };
  const tooLarge = payloadTooLarge(route, message);
  if (tooLarge) {
    deps.stats.rejected++;
    return finalFailure(route, message, tooLarge, 1, deps);
  }
  for (let attempt = 1; ; attempt++) {
    const ctx = new MessageContext(
      message.topic,
      params,
      message,
      route.info,
      deps.logger,
      deps.publish,
      attempt,
    );
    try {
      await route.run(ctx);
      if (ctx.result !== undefined) await publishReply(ctx, route, deps.publish);
      deps.stats.processed++;
      return { route: route.info, result: ctx.result, attempts: attempt };
    } catch (error) {
      const unavailable = isUnavailableError(error);
      const retry = unavailable || (attempt < route.retry.attempts && route.retry.retryable(error));
      if (!retry) return finalFailure(route, message, error, attempt, deps, ctx);
      const delayMs = retryDelay(route.retry, unavailable ? Math.min(attempt, 30) : attempt);
      const level = attempt === 1 ? 'warn' : 'debug';
      ctx.logger[level](
        { err: error, attempt, delayMs, unavailable },
        `${route.info.handler} failed; retrying`,
      );
      deps.stats.retried++;
      if (!(await sleep(delayMs, deps.stopping)))
        return { route: route.info, error, attempts: attempt, withheld: true };
    }
  }
}

async function finalFailure(
  route: ExecutableRoute,
  message: InboundMessage,
  error: unknown,
  attempts: number,
  deps: RunnerDeps,
  ctx?: MessageContext,
): Promise<RouteOutcome> {
  deps.stats.failed++;
  const logger = ctx?.logger ?? deps.logger.child({ route: route.info.handler, topic: message.topic });
  const topic = route.deadLetterTopic?.(message.topic);
  logger.error({ err: error, attempts, deadLetter: topic }, `${route.info.handler} failed`);
  if (topic === undefined) return { route: route.info, error, attempts };
  const sent = await publishDeadLetter(topic, route, message, error, attempts, deps);
  if (!sent) return { route: route.info, error, attempts, withheld: true };
  deps.stats.deadLettered++;
  return { route: route.info, error, attempts, deadLettered: true };
}

/** Publishes the dead letter, retrying while the broker is unreachable; false if the app stopped first. */
async function publishDeadLetter(
  topic: string,
  route: ExecutableRoute,
  message: InboundMessage,
  error: unknown,
  attempts: number,
  deps: RunnerDeps,
): Promise<boolean> {
  const body = deadLetterOf(message, route.info, error, attempts);
  for (let tries = 1; ; tries++) {
    try {
      await deps.publish(topic, body, { qos: 1 });
      return true;
    } catch (publishError) {
      deps.logger.warn({ err: publishError, topic }, 'dead-letter publish failed; retrying');
      const delayMs = retryDelay(route.retry, Math.min(tries, 30));
      if (!(await sleep(delayMs, deps.stopping))) return false;
    }
  }
}

function payloadTooLarge(route: ExecutableRoute, message: InboundMessage): RouteMQError | undefined {
  if (message.payload.length <= route.maxPayloadBytes) return undefined;
  return new RouteMQError(
    'ERR_PAYLOAD_TOO_LARGE',
    `Payload of ${message.payload.length} bytes on ${message.topic} exceeds ${route.maxPayloadBytes} bytes ` +
      `(route ${route.info.handler}). Raise MAX_PAYLOAD_BYTES or the route's maxPayloadBytes if it is legitimate.`,
  );
}

/** Waits, unless the app stops first; resolves true when the full delay passed. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
