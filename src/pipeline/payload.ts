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
