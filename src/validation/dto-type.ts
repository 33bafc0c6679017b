import type { Class } from '../metadata/types';

/** Declared types that are data, not DTOs: they keep the plain `@Payload()` behaviour. */
const NOT_DTO: ReadonlySet<unknown> = new Set<unknown>([
  Object,
  String,
  Number,
  Boolean,
  Array,
  Buffer,
  Uint8Array,
  Symbol,
  BigInt,
  Function,
  Date,
  Map,
  Set,
  Promise,
]);

/**
 * True when a `@Payload()` parameter's declared type is a user class (a DTO to validate). Interfaces,
 * type literals, unions and `unknown` are emitted as `Object` by TypeScript, so they never are.
 *
 * @example
 * ```ts
 * isDtoType(SensorReadingDto); // true
 * isDtoType(Object); // false
 * ```
 */
export function isDtoType(type: Class | undefined): type is Class {
  return typeof type === 'function' && !NOT_DTO.has(type);
}
