import type { Class } from '../metadata/types';
import { recordParam } from './params';

/**
 * Injects the items of a batch route (a route with a `batch` option) as a `BatchItem<T>[]`, in arrival
 * order. Give the DTO class explicitly: TypeScript records an array parameter's type as `Array`, so
 * the item type cannot be read from the signature. Without a class each item's payload is the parsed
 * JSON, or the raw Buffer for non-JSON payloads (docs/batching.md).
 *
 * @example
 * ```ts
 * @Topic('{device_id}/data', { qos: 1, batch: { maxSize: 500, maxWaitMs: 50 } })
 * async ingest(@Batch(ReadingDto) items: BatchItem<ReadingDto>[]) {
 *   await this.readings.insertMany(items.map((item) => ({ device: item.params.device_id, ...item.payload })));
 * }
 * ```
 */
export function Batch(type?: Class): ParameterDecorator {
  return (target, propertyKey, index) => recordParam(target, propertyKey, index, { kind: 'batch', type });
}
