import { RouteMQError } from '../errors';

/**
 * The error a batch item is dead-lettered with when the handler failed on it alone: after the batch's
 * retries, the batch was split in halves down to single items (docs/batching.md). `cause` is what the
 * handler threw; the message repeats its name and text so that the dead letter shows it.
 *
 * @example
 * ```ts
 * if (isRouteMQError(error, 'ERR_BATCH_ITEM_FAILED')) console.log((error as BatchItemError).batchSize);
 * ```
 */
export class BatchItemError extends RouteMQError {
  constructor(
    handler: string,
    /** Items in the batch the item was first handed over in. */
    readonly batchSize: number,
    cause: unknown,
  ) {
    super(
      'ERR_BATCH_ITEM_FAILED',
      `${handler} failed on this item on its own (its batch of ${batchSize} was retried, then split in halves): ${describe(cause)}`,
      { cause },
    );
    this.name = 'BatchItemError';
  }
}

function describe(cause: unknown): string {
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  return String(cause);
}
