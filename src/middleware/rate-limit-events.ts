/** What a rate limiter did with a message over its limit. */
export type RateLimitAction = 'dropped' | 'dead_lettered';

/**
 * Where the rate-limit middleware reports what it refused: the app's metrics register an implementation
 * under {@link RATE_LIMIT_EVENTS} (`routemq_messages_rate_limited_total`); without metrics nothing is.
 *
 * @example
 * ```ts
 * container.register(RATE_LIMIT_EVENTS, { useValue: { limited: (route, action) => count(route, action) } });
 * ```
 */
export interface RateLimitEvents {
  limited(route: string, action: RateLimitAction): void;
}

/**
 * Injection token of the {@link RateLimitEvents} sink (optional: registered only when metrics are on).
 *
 * @example
 * ```ts
 * constructor(@inject(RATE_LIMIT_EVENTS, { isOptional: true }) events?: RateLimitEvents) {}
 * ```
 */
export const RATE_LIMIT_EVENTS: unique symbol = Symbol('routemq.RATE_LIMIT_EVENTS');
