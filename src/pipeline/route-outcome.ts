import type { RouteInfo } from './message-context';

/**
 * What happened to one message on one route: what `routemq/testing` reports per matching route, and
 * what the dispatcher turns into an acknowledgement (every route settled, none withheld).
 *
 * @example
 * ```ts
 * const { outcomes } = await testApp.dispatch('sensors/d1/data', { temperature: 21 });
 * for (const o of outcomes) if (o.deadLettered) console.log(o.route.handler, 'failed', o.attempts, 'times');
 * ```
 */
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
