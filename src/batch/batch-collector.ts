import type { FlushReason } from './flush-reason';

/** When a collector hands its items over. */
export interface CollectorSettings {
  /** Items at most per batch (already capped by the in-flight window). */
  readonly maxSize: number;
  /** Milliseconds after the first item of a batch before it is handed over anyway. */
  readonly maxWaitMs: number;
}

/**
 * Gathers items in arrival order and hands them over as one batch on the first of: `maxSize` items,
 * `maxWaitMs` after the batch's first item (or, when every batch slot is busy then, the moment one
 * frees), the in-flight window being full (`windowFull()`), or a drain. Pure bookkeeping: what a
 * batch does is the `onFlush` callback's business.
 *
 * @example
 * ```ts
 * const collector = new BatchCollector({ maxSize: 500, maxWaitMs: 50 }, (items, why) => store(items), () => false);
 * collector.add(reading);
 * ```
 */
export class BatchCollector<T> {
  #items: T[] = [];
  #timer: NodeJS.Timeout | undefined;
  #draining = false;
  /** maxWaitMs passed while no batch slot was free: hand over as soon as one is. */
  #overdue = false;

  constructor(
    private readonly settings: CollectorSettings,
    private readonly onFlush: (items: T[], reason: FlushReason) => void,
    private readonly windowFull: () => boolean,
    /** Whether a batch handed over now would start at once (a free `concurrency` slot). */
    private readonly slotFree: () => boolean = () => true,
  ) {}

  /** Items waiting for their batch to be handed over. */
  get size(): number {
    return this.#items.length;
  }

  add(item: T): void {
    this.#items.push(item);
    if (this.#items.length >= this.settings.maxSize) this.flush('size');
    else if (this.#draining) this.flush('shutdown');
    else if (this.windowFull()) this.flush('window');
    else if (this.#items.length === 1) {
      this.#timer = setTimeout(() => this.#waited(), this.settings.maxWaitMs);
    }
  }

  /** A batch slot was freed: an overdue batch goes now. */
  slotFreed(): void {
    if (this.#overdue && this.slotFree()) this.flush('time');
  }

  /**
   * maxWaitMs is up. While every slot is busy the batch keeps growing instead of queueing behind the
   * running ones: it could not start earlier anyway, and fewer, larger batches cost less per item.
   */
  #waited(): void {
    this.#timer = undefined;
    if (this.slotFree()) this.flush('time');
    else this.#overdue = true;
  }

  /** Hands over what is held now (nothing happens when empty). */
  flush(reason: FlushReason): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#overdue = false;
    if (this.#items.length === 0) return;
    const items = this.#items;
    this.#items = [];
    this.onFlush(items, reason);
  }

  /** The app stops: hand over what is held, and every later item at once (it finished its per-item steps). */
  drain(): void {
    this.#draining = true;
    this.flush('shutdown');
  }
}
