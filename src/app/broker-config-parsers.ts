/**
 * Parsers of the variables that describe what the broker can do (docs/brokers.md).
 * @module
 */
import type { ProtocolChoice } from '../transport/protocol-negotiation';
import type { QoS } from '../transport/transport';
import { parseBoolean, parseOptionalInteger, type Parsed } from './config-parsers';

function isBlank(raw: unknown): boolean {
  return raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
}

/**
 * MQTT_PROTOCOL_VERSION: `auto` (default: 5, then 3.1.1 when refused), `5`, or `4` (also `3.1.1`).
 *
 * @example
 * ```ts
 * parseProtocolChoice('4'); // { value: 4 }
 * ```
 */
export function parseProtocolChoice(raw: unknown): Parsed<ProtocolChoice> {
  if (isBlank(raw)) return { value: 'auto' };
  const text = String(raw).trim().toLowerCase();
  if (text === 'auto') return { value: 'auto' };
  if (text === '5' || text === '5.0') return { value: 5 };
  if (text === '4' || text === '3.1.1') return { value: 4 };
  return {
    problem: `${JSON.stringify(raw)} is not an MQTT protocol version; use auto (default), 5, or 4 (MQTT 3.1.1)`,
  };
}

/**
 * MQTT_SHARED_SUBSCRIPTIONS: `auto` (default: what the broker says; none on MQTT 3.1.1) or true/false.
 *
 * @example
 * ```ts
 * parseAutoBoolean('auto'); // { value: undefined }
 * ```
 */
export function parseAutoBoolean(raw: unknown): Parsed<boolean | undefined> {
  if (isBlank(raw) || String(raw).trim().toLowerCase() === 'auto') return { value: undefined };
  const parsed = parseBoolean(raw, undefined);
  if ('value' in parsed) return parsed;
  return { problem: `${JSON.stringify(raw)} is not auto, true or false` };
}

/**
 * MQTT_MAX_QOS: 0, 1 or 2; unset means what the broker says (CONNACK, or a probe on MQTT 3.1.1).
 *
 * @example
 * ```ts
 * parseMaxQoS('1'); // { value: 1 }
 * ```
 */
export function parseMaxQoS(raw: unknown): Parsed<QoS | undefined> {
  const parsed = parseOptionalInteger(raw, 0, 2);
  if ('value' in parsed) return parsed as Parsed<QoS | undefined>;
  return { problem: `${JSON.stringify(raw)} is not a QoS; use 0, 1 or 2` };
}
