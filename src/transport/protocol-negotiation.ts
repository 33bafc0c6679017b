/**
 * Choosing the MQTT protocol version: what counts as "the broker does not speak this version", and the
 * error a user sees when a fixed MQTT_PROTOCOL_VERSION is refused.
 * @module
 */
import { RouteMQError } from '../errors';

/** The configured choice: a fixed version, or `auto` (5 first, then 4 when 5 is refused). */
export type ProtocolChoice = 4 | 5 | 'auto';

/**
 * The connection closed before any CONNACK. RabbitMQ 3.10 answers an MQTT 5 CONNECT this way (it cannot
 * parse the frame), so under `auto` it counts as a refusal of the version.
 */
export class ClosedBeforeConnack extends Error {
  constructor() {
    super('the connection closed before the broker answered CONNECT');
    this.name = 'ClosedBeforeConnack';
  }
}

/**
 * CONNACK codes that refuse the protocol version: 1 "unacceptable protocol version" (MQTT 3.1.1 section
 * 3.2.2.3; NATS answers an MQTT 5 CONNECT with it) and 0x84 "Unsupported Protocol Version" (MQTT 5.0).
 */
const VERSION_REFUSALS: ReadonlySet<unknown> = new Set([1, 0x84]);

/**
 * True when a failed first connection says the broker does not speak the version tried: a refusal code
 * in CONNACK, or a close before any CONNACK. Classified by code and class, never by message text.
 *
 * @example
 * ```ts
 * if (isProtocolRefusal(error)) reconnectWith(4);
 * ```
 */
export function isProtocolRefusal(error: unknown): boolean {
  if (error instanceof ClosedBeforeConnack) return true;
  return VERSION_REFUSALS.has((error as { code?: unknown } | null)?.code);
}

/** `MQTT 5` or `MQTT 3.1.1` */
export function versionName(version: 4 | 5): string {
  return version === 5 ? 'MQTT 5' : 'MQTT 3.1.1';
}

/**
 * ERR_BROKER_PROTOCOL: the broker was reached but does not speak the fixed version asked for.
 *
 * @example
 * ```ts
 * throw protocolRefused('mqtt://nats:1883', 5, error);
 * ```
 */
export function protocolRefused(target: string, version: 4 | 5, cause: unknown): RouteMQError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const other = version === 5 ? 4 : 5;
  return new RouteMQError(
    'ERR_BROKER_PROTOCOL',
    `The MQTT broker at ${target} was reached but does not speak ${versionName(version)} (${reason}). ` +
      `Set MQTT_PROTOCOL_VERSION=auto (tries 5, then 3.1.1) or MQTT_PROTOCOL_VERSION=${other}.`,
    { cause },
  );
}

/**
 * ERR_BROKER_PROTOCOL under `auto`: neither MQTT 5 nor MQTT 3.1.1 was accepted.
 *
 * @example
 * ```ts
 * throw noCommonProtocol('mqtt://broker:1883', error);
 * ```
 */
export function noCommonProtocol(target: string, cause: unknown): RouteMQError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new RouteMQError(
    'ERR_BROKER_PROTOCOL',
    `The MQTT broker at ${target} refused both MQTT 5 and MQTT 3.1.1 (${reason}). ` +
      'Check that MQTT_BROKER points at an MQTT listener (not AMQP, NATS or HTTP) and that its MQTT support is enabled.',
    { cause },
  );
}
