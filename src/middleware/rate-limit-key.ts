import { createHash } from 'node:crypto';
import type { MessageContext } from '../pipeline/message-context';

/**
 * Whose budget a message spends:
 * - `'route'`: one budget for the whole route (default);
 * - `'topic'`: one per concrete topic;
 * - `'client'`: one per sender, read from an MQTT 5 user property (`client_id` unless `clientProperty`
 *   says otherwise; MQTT itself does not tell a subscriber who published), messages without it share
 *   one budget;
 * - `{ param: 'device_id' }`: one per value of a topic parameter;
 * - a function of the context: its result, or no limit at all when it returns undefined.
 */
export type RateLimitKey =
  'route' | 'topic' | 'client' | { readonly param: string } | ((ctx: MessageContext) => string | undefined);

/** The budget of messages whose key could not be read (a missing client id or parameter). */
const UNKNOWN = '(unknown)';
/** Longer keys are hashed: Redis keys stay short whatever a sender puts in a topic. */
const MAX_KEY_LENGTH = 200;

/**
 * The function that reads a message's key, or undefined when it should not be limited.
 *
 * @example
 * ```ts
 * const keyOf = keyReader({ param: 'device_id' }, 'client_id');
 * keyOf(ctx); // 'dev-1'
 * ```
 */
export function keyReader(
  key: RateLimitKey,
  clientProperty: string,
): (ctx: MessageContext) => string | undefined {
  if (typeof key === 'function') return key;
  if (key === 'route') return () => '';
  if (key === 'topic') return (ctx) => ctx.topic;
  if (key === 'client') return (ctx) => userProperty(ctx, clientProperty) ?? UNKNOWN;
  const name = key.param;
  return (ctx) => ctx.params[name] ?? UNKNOWN;
}

function userProperty(ctx: MessageContext, name: string): string | undefined {
  const value = ctx.packet.properties.userProperties?.[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * A store key component for a message key: percent-encoded so that a `:` in a device id cannot make
 * two budgets collide (device `a:b` with key part `c` against device `a` with `b:c`), hashed when long.
 *
 * @example
 * ```ts
 * encodeKeyPart('a:b'); // 'a%3Ab'
 * ```
 */
export function encodeKeyPart(key: string): string {
  const encoded = encodeURIComponent(key);
  if (encoded.length <= MAX_KEY_LENGTH) return encoded;
  return `sha256=${createHash('sha256').update(key).digest('base64url')}`;
}
