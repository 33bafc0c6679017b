import type { Logger } from 'pino';
import type { MessageProperties, QoS } from '../transport/transport';

/**
 * One message of a batch, as a batch handler receives it: what a `@Param`, `@Payload` and `@Ctx`
 * would have given a one-message handler. The payload was checked (size, JSON limits, the DTO) and
 * the route's middleware ran before the item joined the batch (docs/batching.md).
 *
 * @example
 * ```ts
 * async ingest(@Batch(ReadingDto) items: BatchItem<ReadingDto>[]) {
 *   for (const item of items) item.logger.debug({ device: item.params.device_id }, 'stored');
 * }
 * ```
 */
export interface BatchItem<T = unknown> {
  /** The topic the message was published to. */
  readonly topic: string;
  /** Topic parameters by name (`{device_id}` -> `params.device_id`). */
  readonly params: Readonly<Record<string, string>>;
  /** The validated DTO instance, else the parsed JSON, else the raw Buffer for non-JSON payloads. */
  readonly payload: T;
  /** MQTT 5 properties of the message (correlation data, user properties...). */
  readonly properties: MessageProperties;
  readonly qos: QoS;
  readonly retain: boolean;
  /** A logger bound to this item's route, topic and message id. */
  readonly logger: Logger;
}
