import type { Logger } from 'pino';
import { RouteMQError } from '../errors';
import type { InboundMessage } from '../transport/transport';
import { deadLetterOf } from './dead-letter';
import type { DispatchStats } from './dispatch-stats';
import type { RejectReason, RouteObserver } from './dispatch-observer';
import type { ExecutableRoute } from './executable-route';
import { MessageContext, type PublishFn, type RouteInfo } from './message-context';
import { DEFAULT_JSON_LIMITS, jsonLimitViolation, type JsonLimits } from './payload';
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
  /** MAX_JSON_DEPTH / MAX_JSON_KEYS, checked before any parsing (default 32 / 10000). */
  readonly jsonLimits?: JsonLimits;
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
  watch?: RouteObserver,
): Promise<RouteOutcome> {
  // Queued behind the route's limiter while the app began stopping: leave it for redelivery.
  if (deps.stopping.aborted) return { route: route.info, attempts: 0, withheld: true };
  watch?.received();
  const refused = refusedBeforeParsing(route, message, deps.jsonLimits ?? DEFAULT_JSON_LIMITS);
  if (refused) {
    deps.stats.rejected++;
    watch?.rejected(refused.reason);
    return finalFailure(route, message, refused.error, 1, deps, undefined, watch);
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
      const startedAt = watch?.attemptStarted() ?? 0;
      try {
        await route.run(ctx);
      } finally {
        watch?.attemptEnded(startedAt);
      }
      if (ctx.result !== undefined) await publishReply(ctx, route, deps.publish);
      deps.stats.processed++;
      watch?.processed();
      return { route: route.info, result: ctx.result, attempts: attempt };
    } catch (error) {
      const unavailable = isUnavailableError(error);
      const retry = unavailable || (attempt < route.retry.attempts && route.retry.retryable(error));
      if (!retry) return finalFailure(route, message, error, attempt, deps, ctx, watch);
      const delayMs = retryDelay(route.retry, unavailable ? Math.min(attempt, 30) : attempt);
      const level = attempt === 1 ? 'warn' : 'debug';
      ctx.logger[level](
        { err: error, attempt, delayMs, unavailable },
        `${route.info.handler} failed; retrying`,
      );
      deps.stats.retried++;
      watch?.retried();
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
  watch?: RouteObserver,
): Promise<RouteOutcome> {
  deps.stats.failed++;
  watch?.failed();
  const logger = ctx?.logger ?? deps.logger.child({ route: route.info.handler, topic: message.topic });
  const topic = route.deadLetterTopic?.(message.topic);
  logger.error({ err: error, attempts, deadLetter: topic }, `${route.info.handler} failed`);
  if (topic === undefined) return { route: route.info, error, attempts };
  const sent = await publishDeadLetter(topic, route, message, error, attempts, deps);
  if (!sent) return { route: route.info, error, attempts, withheld: true };
  deps.stats.deadLettered++;
  watch?.deadLettered();
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

/** Payloads refused before anything parses them: too large, or JSON too deep or with too many keys. */
function refusedBeforeParsing(
  route: ExecutableRoute,
  message: InboundMessage,
  limits: JsonLimits,
): { reason: RejectReason; error: RouteMQError } | undefined {
  const tooLarge = payloadTooLarge(route, message);
  if (tooLarge) return { reason: 'payload_too_large', error: tooLarge };
  const violation = jsonLimitViolation(message.payload, limits);
  if (violation === undefined) return undefined;
  const error = new RouteMQError(
    'ERR_PAYLOAD_INVALID',
    `${route.info.handler}: the JSON payload on ${message.topic} has ${violation}; it is refused before parsing. ` +
      'Fix: send a flatter payload, or raise the limit if such payloads are legitimate.',
  );
  return { reason: 'json_too_complex', error };
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
