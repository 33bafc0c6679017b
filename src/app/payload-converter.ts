import type { Class } from '../metadata/types';
import type { PayloadConverter } from '../pipeline/handler-arguments';

const decoded: PayloadConverter = (ctx) => ctx.payload;
const raw: PayloadConverter = (ctx) => ctx.packet.payload;
const text: PayloadConverter = (ctx) => ctx.packet.payload.toString('utf8');

/**
 * Chooses how a `@Payload()` parameter is filled from its declared type: `Buffer` gets the raw bytes,
 * `string` the UTF-8 text, anything else the decoded payload (JSON, or the Buffer for non-JSON).
 */
export function payloadConverterFor(type: Class | undefined, ..._later: unknown[]): PayloadConverter {
  if (type === Buffer || type === Uint8Array) return raw;
  if (type === String) return text;
  return decoded;
}
