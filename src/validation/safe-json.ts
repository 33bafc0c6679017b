import { RouteMQError } from '../errors';

/** Keys that change an object's prototype chain when code later copies or merges the object. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Cheap pre-check on the text: only a payload mentioning a forbidden name (or using `\u` escapes,
 * which could spell one) needs the walk over the parsed value. Most payloads skip it.
 */
const SUSPICIOUS = /__proto__|constructor|prototype|\\u/;

// fatal: invalid byte sequences throw instead of becoming U+FFFD, so garbage is refused, not guessed.
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes a DTO route's payload into a plain JSON object, refusing (ERR_PAYLOAD_INVALID, with what,
 * where and the fix) empty payloads, invalid UTF-8, text that is not JSON, JSON that is not an object,
 * and objects holding `__proto__`, `constructor` or `prototype` keys at any depth.
 *
 * Why not secure-json-parse: it leaves `prototype` keys in, and cannot say where the bad key was. The
 * walk here runs only when the text looks suspicious, so the common case costs one regex test.
 *
 * @example
 * ```ts
 * const plain = parseJsonObject(Buffer.from('{"temperature":21}'), 'SensorController.data');
 * ```
 */
export function parseJsonObject(payload: Uint8Array, where: string): Record<string, unknown> {
  if (payload.length === 0) throw invalid(where, 'the payload is empty');
  const text = decodeUtf8(payload, where);
  const value = parseJson(text, where);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(where, `the payload is JSON ${describeKind(value)}, not a JSON object`);
  }
  if (SUSPICIOUS.test(text)) {
    const path = findForbiddenKey(value);
    if (path !== undefined) {
      throw invalid(
        where,
        `the payload holds the key ${JSON.stringify(lastKey(path))} at ${path}, which could alter object prototypes; it is refused`,
      );
    }
  }
  return value as Record<string, unknown>;
}

/**
 * The path (`a.b.0.__proto__`) of the first forbidden key in a parsed JSON value, or undefined.
 * Iterative, so a deeply nested payload cannot overflow the stack.
 *
 * @example
 * ```ts
 * findForbiddenKey(JSON.parse('{"a":{"__proto__":{}}}')); // 'a.__proto__'
 * ```
 */
export function findForbiddenKey(value: unknown): string | undefined {
  const stack: Array<{ value: unknown; path: string }> = [{ value, path: '' }];
  while (stack.length > 0) {
    const item = stack.pop() as { value: unknown; path: string };
    if (typeof item.value !== 'object' || item.value === null) continue;
    // JSON.parse makes own data properties, `__proto__` included, so Object.keys sees every key.
    for (const key of Object.keys(item.value)) {
      const path = item.path === '' ? key : `${item.path}.${key}`;
      if (FORBIDDEN_KEYS.has(key)) return path;
      stack.push({ value: (item.value as Record<string, unknown>)[key], path });
    }
  }
  return undefined;
}

function decodeUtf8(payload: Uint8Array, where: string): string {
  try {
    return utf8.decode(payload);
  } catch (error) {
    throw invalid(where, 'the payload is not valid UTF-8 text', error);
  }
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw invalid(where, `the payload is not JSON (${reason})`, error);
  }
}

function invalid(where: string, what: string, cause?: unknown): RouteMQError {
  return new RouteMQError(
    'ERR_PAYLOAD_INVALID',
    `${where}: ${what}. Fix: send a UTF-8 JSON object with the fields of the route's DTO.`,
    { cause },
  );
}

function describeKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function lastKey(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1);
}
