import type { RouteMQApp } from '../app/application';
import type { RouteOutcome } from '../pipeline/route-outcome';
import { matchesFilter } from '../routing/topic-filter';
import type { InboundMessage } from '../transport/transport';
import type { ClaimingTransport } from './claiming-transport';

/** What to publish for one dispatch through a real broker. */
export interface BrokerDispatchRequest {
  readonly topic: string;
  readonly payload: Buffer;
  readonly message: Omit<InboundMessage, 'topic' | 'payload' | 'dup' | 'messageId'>;
  readonly timeoutMs: number;
}

/**
 * Publishes a test message through the broker and resolves with the outcomes of every route that
 * matches its topic. A broker may deliver one copy per matching subscription (Mosquitto with MQTT 5),
 * each running the routes of its subscription, so outcomes are gathered until every matching route
 * reported or the time is up.
 *
 * @example
 * ```ts
 * const outcomes = await dispatchThroughBroker(app, claiming, request);
 * ```
 */
export async function dispatchThroughBroker(
  app: RouteMQApp,
  transport: ClaimingTransport,
  request: BrokerDispatchRequest,
): Promise<RouteOutcome[]> {
  const expected = matchingRoutes(app, request.topic);
  const outcomes: RouteOutcome[] = [];
  if (expected === 0) {
    await transport.publishDirect(request.topic, request.payload, publishOptions(request));
    return outcomes;
  }
  let release = (): void => undefined;
  const done = new Promise<void>((resolve) => {
    release = transport.claim(request.topic, request.payload, async (message) => {
      const delivered = await app.dispatch(message);
      outcomes.push(...delivered);
      if (outcomes.length >= expected) resolve();
      return delivered.some((o) => o.withheld) ? 'withhold' : 'acknowledge';
    });
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError(request, expected, outcomes)), request.timeoutMs);
  });
  try {
    await transport.publishDirect(request.topic, request.payload, publishOptions(request));
    await Promise.race([done, timeout]);
    return outcomes;
  } finally {
    clearTimeout(timer);
    release();
  }
}

/** Routes whose filter matches the topic (the share prefix is only in the SUBSCRIBE). */
function matchingRoutes(app: RouteMQApp, topic: string): number {
  return app.routes.filter((route) => matchesFilter(bareFilter(route.subscription), topic)).length;
}

function bareFilter(subscription: string): string {
  if (subscription.startsWith('$share/')) return subscription.split('/').slice(2).join('/');
  if (subscription.startsWith('$queue/')) return subscription.slice('$queue/'.length);
  return subscription;
}

function publishOptions(request: BrokerDispatchRequest) {
  const { qos, retain, properties } = request.message;
  const { subscriptionIdentifier: _ignored, ...outgoing } = properties;
  return { qos, retain, properties: outgoing };
}

function timeoutError(request: BrokerDispatchRequest, expected: number, outcomes: RouteOutcome[]): Error {
  const ran = outcomes.map((o) => o.route.handler).join(', ') || 'none';
  return new Error(
    `dispatch('${request.topic}') through the broker: ${outcomes.length} of ${expected} matching routes reported within ${request.timeoutMs} ms (ran: ${ran}). Is another subscriber in the share group taking the message?`,
  );
}
