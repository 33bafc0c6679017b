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
import { retryDelay, waitsForDependency } from './retry-policy';
import { isUnavailableError } from './unavailable-error';
import { WithholdDelivery } from './withhold-delivery';

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
  /** True when the next attempt was handed to the retry lane (this delivery is done). */
  readonly rescheduled?: boolean;
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
  /**
   * Hands a failed message back to the broker for its next attempt (the retry lane), so that the
   * message is acknowledged now instead of holding every later acknowledgement through the backoff.
   * Without one (tests over the memory transport), retries wait in-process.
   */
  readonly scheduler?: RetryScheduler;
}

/** Schedules the next attempt of a message on a route, durably (resolves once the broker has it). */
export interface RetryScheduler {
  schedule(
    route: ExecutableRoute,
    message: InboundMessage,
    params: Readonly<Record<string, string>>,
    attempt: number,
    notBefore: number,
  ): Promise<void>;
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
  firstAttempt = 1,
): Promise<RouteOutcome> {
  if (deps.stopping.aborted) return { route: route.info, attempts: 0, withheld: true };
  // A retry from the lane was received and checked the first time.
  if (firstAttempt === 1) watch?.received();
  // On retries too: a retry envelope carries the payload again, and every check runs again on it.
  const refused = refusedBeforeParsing(route, message, deps.jsonLimits ?? DEFAULT_JSON_LIMITS);
  if (refused) {
    deps.stats.rejected++;
    watch?.rejected(refused.reason);
    return finalFailure(route, message, refused.error, 1, deps, undefined, watch);
  }
  let unavailableSince: number | undefined;
  for (let attempt = firstAttempt; ; attempt++) {
    // The route's concurrency slot is held for an attempt, not across the backoff between attempts:
    // a message waiting to retry must not stall the messages behind it (issue 4, scenario 3).
    const outcome = await route.limiter.run(() => attemptOnce(route, params, message, deps, attempt, watch));
    if (outcome.kind === 'stopped') return { route: route.info, attempts: attempt - 1, withheld: true };
    if (outcome.kind === 'done') return { route: route.info, result: outcome.ctx.result, attempts: attempt };
    const { error, ctx } = outcome;
    if (error instanceof WithholdDelivery)
      return { route: route.info, error, attempts: attempt, withheld: true };
    const down = isUnavailableError(error);
    if (down) unavailableSince ??= performance.now();
    else unavailableSince = undefined;
    const unavailable = waitsForDependency(route.retry, down, unavailableSince ?? 0);
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
    if (!unavailable && (await handedToRetryLane(route, message, params, attempt + 1, delayMs, deps))) {
      return { route: route.info, error, attempts: attempt, rescheduled: true };
    }
    if (!(await sleep(delayMs, deps.stopping)))
      return { route: route.info, error, attempts: attempt, withheld: true };
  }
}

type Attempt =
  | { readonly kind: 'done'; readonly ctx: MessageContext }
  | { readonly kind: 'failed'; readonly ctx: MessageContext; readonly error: unknown }
  | { readonly kind: 'stopped' };

/** One run of the route's chain (and its reply), inside the route's concurrency slot. */
async function attemptOnce(
  route: ExecutableRoute,
  params: Readonly<Record<string, string>>,
  message: InboundMessage,
  deps: RunnerDeps,
  attempt: number,
  watch?: RouteObserver,
): Promise<Attempt> {
  // Queued behind the route's limiter while the app began stopping: leave it for redelivery.
  if (deps.stopping.aborted) return { kind: 'stopped' };
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
    return { kind: 'done', ctx };
  } catch (error) {
    return { kind: 'failed', ctx, error };
  }
}

/**
 * Ordinary failures go to the retry lane; an unavailable dependency does not (everything would fail
 * the same way: waiting in place is the back-pressure). False when there is no lane or the broker did
 * not take the message (then the retry waits in-process).
 */
async function handedToRetryLane(
  route: ExecutableRoute,
  message: InboundMessage,
  params: Readonly<Record<string, string>>,
  attempt: number,
  delayMs: number,
  deps: RunnerDeps,
): Promise<boolean> {
  if (!deps.scheduler) return false;
  try {
    await deps.scheduler.schedule(route, message, params, attempt, Date.now() + delayMs);
    return true;
  } catch (error) {
    deps.logger.warn(
      { err: error, route: route.info.handler },
      'retry lane unavailable; retrying in-process',
    );
    return false;
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
  const body = deadLetterOf(message, route.info, error, attempts, route.maxPayloadBytes);
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
