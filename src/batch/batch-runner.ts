import type { Logger } from 'pino';
import type { BatchObserver } from '../pipeline/dispatch-observer';
import { sleep } from '../retry/abortable-sleep';
import { AttemptTracker } from '../retry/next-attempt';
import type { RetryPolicy } from '../retry/retry-policy';
import { WithholdDelivery } from '../pipeline/withhold-delivery';
import type { BatchItem } from './batch-item';
import { BatchItemError } from './batch-item-error';
import type { FlushReason } from './flush-reason';

/** An item waiting in a batch, with the settlement its message's route run awaits. */
export interface PendingItem {
  readonly item: BatchItem;
  /** The item is stored: its message is acknowledged. */
  resolve(): void;
  /** The item failed on its own (BatchItemError), or must be withheld (WithholdDelivery). */
  reject(error: unknown): void;
}

/** What a batch runner needs: the handler, its retry policy, and the app's logger and stop signal. */
export interface BatchRunnerDeps {
  readonly handlerName: string;
  /** Calls the route's handler with the items. */
  readonly handle: (items: BatchItem[]) => unknown;
  readonly retry: RetryPolicy;
  readonly logger: Logger;
  /** Aborted when the app stops: retries end and the items are left for redelivery. */
  readonly stopping: AbortSignal;
  readonly observer?: BatchObserver;
}

type Tried =
  | { readonly kind: 'stored'; readonly attempts: number }
  | { readonly kind: 'failed'; readonly error: unknown }
  | { readonly kind: 'stopped' };

/**
 * Runs one batch to a final outcome for every item (docs/batching.md): the handler with the whole
 * batch, retried with the route's policy (an unavailable dependency waits, as on one-message routes);
 * when it still fails, the batch is split in halves and each half tried once, down to single items,
 * so only the items that fail on their own are rejected (then dead-lettered by their route run) and
 * the rest are stored. When the app stops during a wait, the unsettled items are withheld.
 *
 * @example
 * ```ts
 * await new BatchRunner({ handlerName, handle, retry, logger, stopping }).run(pending, 'size');
 * ```
 */
export class BatchRunner {
  readonly #once: RetryPolicy;

  constructor(private readonly deps: BatchRunnerDeps) {
    this.#once = { ...deps.retry, attempts: 1 };
  }

  async run(batch: readonly PendingItem[], reason: FlushReason): Promise<void> {
    const startedAt = Date.now();
    const tried = await this.#tryBatch(batch, this.deps.retry);
    const log = { size: batch.length, reason, durationMs: Date.now() - startedAt };
    if (tried.kind === 'stored') {
      stored(batch);
      this.deps.logger.debug({ ...log, attempts: tried.attempts }, `${this.deps.handlerName} stored a batch`);
    } else if (tried.kind === 'stopped') {
      withheld(batch);
    } else {
      const isolated = await this.#bisect(batch, tried.error, batch.length);
      if (isolated > 0) this.deps.observer?.isolated(isolated);
      this.deps.logger.error(
        { ...log, err: tried.error, isolated },
        `${this.deps.handlerName} failed on a batch of ${batch.length}; split in halves: ${isolated} item(s) failed on their own`,
      );
    }
  }

  /** The handler with these items, retried per `policy`; outages are retried until the app stops. */
  async #tryBatch(batch: readonly PendingItem[], policy: RetryPolicy): Promise<Tried> {
    const attempts = new AttemptTracker(policy);
    for (let attempt = 1; ; attempt++) {
      const error = await this.#call(batch);
      if (error === undefined) return { kind: 'stored', attempts: attempt };
      const next = attempts.next(error, attempt);
      if (!next.retry) return { kind: 'failed', error };
      const { delayMs, unavailable } = next;
      this.deps.logger[attempt === 1 ? 'warn' : 'debug'](
        { err: error, size: batch.length, attempt, delayMs, unavailable },
        `${this.deps.handlerName} failed on a batch; retrying it`,
      );
      if (!(await sleep(delayMs, this.deps.stopping))) return { kind: 'stopped' };
    }
  }

  /** Calls the handler once; resolves with what it threw, or undefined when it resolved. */
  async #call(batch: readonly PendingItem[]): Promise<unknown> {
    const startedAt = this.deps.observer?.handlerStarted() ?? 0;
    try {
      await this.deps.handle(batch.map((pending) => pending.item));
      return undefined;
    } catch (error) {
      return error ?? new Error(`${this.deps.handlerName} threw ${String(error)}`);
    } finally {
      this.deps.observer?.handlerEnded(startedAt);
    }
  }

  /** Settles a failed batch by halves; returns how many items failed on their own. */
  async #bisect(batch: readonly PendingItem[], error: unknown, batchSize: number): Promise<number> {
    if (batch.length === 1) {
      batch[0].reject(new BatchItemError(this.deps.handlerName, batchSize, error));
      return 1;
    }
    const middle = Math.ceil(batch.length / 2);
    let isolated = 0;
    for (const half of [batch.slice(0, middle), batch.slice(middle)]) {
      // Stopping: what is not settled yet is redelivered rather than judged in a hurry.
      const tried: Tried = this.deps.stopping.aborted
        ? { kind: 'stopped' }
        : await this.#tryBatch(half, this.#once);
      if (tried.kind === 'stored') stored(half);
      else if (tried.kind === 'stopped') withheld(half);
      else isolated += await this.#bisect(half, tried.error, batchSize);
    }
    return isolated;
  }
}

function stored(batch: readonly PendingItem[]): void {
  for (const pending of batch) pending.resolve();
}

function withheld(batch: readonly PendingItem[]): void {
  for (const pending of batch) pending.reject(new WithholdDelivery());
}
