import type { InboundMessage } from '../transport/transport';
import type { RouteInfo } from './message-context';

/**
 * The JSON body published to a dead-letter topic: enough to understand the failure and to replay the
 * message (payload as text when it is valid UTF-8, else base64).
 *
 * @example
 * ```json
 * { "topic": "sensors/d1/data", "payload": "{\"temperature\":\"hot\"}", "payloadEncoding": "utf8",
 *   "error": { "code": "ERR_VALIDATION_FAILED", "name": "PayloadValidationError", "message": "..." },
 *   "attempts": 1, "route": "SensorController.data", "template": "sensors/{device_id}/data",
 *   "qos": 1, "failedAt": "2026-11-26T19:40:00.000Z" }
 * ```
 */
export interface DeadLetter {
  readonly topic: string;
  readonly payload: string;
  readonly payloadEncoding: 'utf8' | 'base64';
  readonly error: { readonly code?: string; readonly name: string; readonly message: string };
  readonly attempts: number;
  readonly route: string;
  readonly template: string;
  readonly qos: number;
  readonly failedAt: string;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Builds the dead-letter body of a message that failed on a route. */
export function deadLetterOf(
  message: InboundMessage,
  route: RouteInfo,
  error: unknown,
  attempts: number,
): DeadLetter {
  return {
    topic: message.topic,
    ...encodePayload(message.payload),
    error: describeError(error),
    attempts,
    route: route.handler,
    template: route.template,
    qos: message.qos,
    failedAt: new Date().toISOString(),
  };
}

function encodePayload(payload: Buffer): { payload: string; payloadEncoding: 'utf8' | 'base64' } {
  try {
    return { payload: strictUtf8.decode(payload), payloadEncoding: 'utf8' };
  } catch {
    return { payload: payload.toString('base64'), payloadEncoding: 'base64' };
  }
}

function describeError(error: unknown): DeadLetter['error'] {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const code = (error as Error & { code?: unknown }).code;
  return { code: typeof code === 'string' ? code : undefined, name: error.name, message: error.message };
}
