/**
 * Decodes a payload for `@Payload()` without a DTO: JSON when it parses, else the raw bytes.
 * Never throws: a payload that is not JSON is data too (sensors send binary frames).
 */
export function decodePayload(payload: Buffer): unknown {
  if (payload.length === 0) return payload;
  const first = payload[0];
  // Cheap pre-check: JSON text starts with one of these bytes (RFC 8259 section 2), skip JSON.parse
  // for binary frames.
  if (!looksLikeJsonStart(first)) return payload;
  try {
    return JSON.parse(payload.toString('utf8'));
  } catch {
    return payload;
  }
}

function looksLikeJsonStart(byte: number): boolean {
  // { [ " - 0-9 t f n and whitespace
  return (
    byte === 0x7b ||
    byte === 0x5b ||
    byte === 0x22 ||
    byte === 0x2d ||
    (byte >= 0x30 && byte <= 0x39) ||
    byte === 0x74 ||
    byte === 0x66 ||
    byte === 0x6e ||
    byte === 0x20 ||
    byte === 0x09 ||
    byte === 0x0a ||
    byte === 0x0d
  );
}

/** Bounds on the shape of a JSON payload, checked before it is parsed (MAX_JSON_DEPTH, MAX_JSON_KEYS). */
export interface JsonLimits {
  /** Deepest nesting of objects and arrays allowed (default 32). */
  readonly maxDepth: number;
  /** Most object members allowed in the whole payload (default 10000). */
  readonly maxKeys: number;
}

/** The defaults of MAX_JSON_DEPTH and MAX_JSON_KEYS. */
export const DEFAULT_JSON_LIMITS: JsonLimits = Object.freeze({ maxDepth: 32, maxKeys: 10_000 });

/**
 * Why a JSON object or array payload breaks the limits, or undefined. One pass over the bytes, before
 * anything is parsed: a 100k-deep payload would otherwise be parsed, then overflow the stack of
 * whatever walks it (class-transformer, the handler), and a million keys cost memory and CPU first
 * (docs/errors.md, ERR_PAYLOAD_INVALID). Payloads that do not start like an object or array are not
 * scanned (binary frames, scalars).
 *
 * @example
 * ```ts
 * jsonLimitViolation(Buffer.from('[[[1]]]'), { maxDepth: 2, maxKeys: 10 }); // 'nesting deeper than 2 levels'
 * ```
 */
export function jsonLimitViolation(payload: Uint8Array, limits: JsonLimits): string | undefined {
  // Each level needs one byte and each member at least four (`"":0`): short payloads cannot break either.
  if (payload.length <= limits.maxDepth && payload.length < 4 * limits.maxKeys) return undefined;
  if (!startsLikeContainer(payload)) return undefined;
  let depth = 0;
  let keys = 0;
  for (let i = 0; i < payload.length; i++) {
    const byte = payload[i];
    if (byte === 0x22) {
      i = endOfString(payload, i);
    } else if (byte === 0x7b || byte === 0x5b) {
      if (++depth > limits.maxDepth) return `nesting deeper than ${limits.maxDepth} levels (MAX_JSON_DEPTH)`;
    } else if (byte === 0x7d || byte === 0x5d) {
      depth--;
    } else if (byte === 0x3a && ++keys > limits.maxKeys) {
      // Outside strings, a colon only separates an object member's name from its value.
      return `more than ${limits.maxKeys} object keys (MAX_JSON_KEYS)`;
    }
  }
  return undefined;
}

/** Index of the closing quote of the string opening at `start` (or the last index if unterminated). */
function endOfString(payload: Uint8Array, start: number): number {
  for (let i = start + 1; i < payload.length; i++) {
    const byte = payload[i];
    if (byte === 0x5c) i++;
    else if (byte === 0x22) return i;
  }
  return payload.length - 1;
}

/**
 * Whether the payload starts with a UTF-8 byte order mark. The DTO path's TextDecoder strips it before
 * JSON.parse, so the scan must look past it: every byte JSON.parse sees is scanned.
 */
function startsWithBom(payload: Uint8Array): boolean {
  return payload.length >= 3 && payload[0] === 0xef && payload[1] === 0xbb && payload[2] === 0xbf;
}

function startsLikeContainer(payload: Uint8Array): boolean {
  for (let i = startsWithBom(payload) ? 3 : 0; i < payload.length; i++) {
    const byte = payload[i];
    if (byte === 0x7b || byte === 0x5b) return true;
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return false;
  }
  return false;
}
