/**
 * Thrown by a route's chain to say "leave this message unacknowledged": the app is stopping before
 * the message could be finished, so the broker must redeliver it on the next session instead of the
 * app retrying or dead-lettering it. A batch route's items use it when the app stops during a batch's
 * retries (docs/batching.md).
 *
 * @example
 * ```ts
 * if (stopping.aborted) throw new WithholdDelivery();
 * ```
 */
export class WithholdDelivery extends Error {
  constructor() {
    super('the app is stopping: this message is left unacknowledged for redelivery');
    this.name = 'WithholdDelivery';
  }
}
