import { RouteMQError } from '../errors';
import type { InboundMessage } from '../transport/transport';
import type { RejectReason } from './dispatch-observer';
import type { ExecutableRoute } from './executable-route';
import { jsonLimitViolation, type JsonLimits } from './payload';

/** Why a payload was refused, and the error that says so. */
export interface PayloadRefusal {
  readonly reason: RejectReason;
  readonly error: RouteMQError;
}

/**
 * Payloads refused before anything parses them: larger than the route's `maxPayloadBytes`, or JSON
 * too deep or with too many keys (MAX_JSON_DEPTH / MAX_JSON_KEYS in docs/configuration.md).
 *
 * @example
 * ```ts
 * const refused = refusedBeforeParsing(route, message, DEFAULT_JSON_LIMITS);
 * if (refused) return fail(refused.error);
 * ```
 */
export function refusedBeforeParsing(
  route: ExecutableRoute,
  message: InboundMessage,
  limits: JsonLimits,
): PayloadRefusal | undefined {
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
