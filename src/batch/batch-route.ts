import type { Logger } from 'pino';
import { InFlightTracker } from '../concurrency/in-flight-tracker';
import { Limiter } from '../concurrency/limiter';
import { RouteMQError } from '../errors';
import type { BatchObserver } from '../pipeline/dispatch-observer';
import type { RetryPolicy } from '../retry/retry-policy';
import type { BatchItem } from './batch-item';
import { BatchCollector } from './batch-collector';
import { BatchRunner, type PendingItem } from './batch-runner';
import type { FlushReason } from './flush-reason';

/** A batch route's settings, resolved at boot. */
export interface BatchRouteSettings {
  readonly handlerName: string;
  /** Items at most per batch: the route's maxSize, capped by the in-flight window on QoS 1/2. */
  readonly maxSize: number;
  readonly maxWaitMs: number;
  /** Batches handled at once (the route's `concurrency`, default 1). */
  readonly concurrency: number;
  readonly retry: RetryPolicy;
  /** Calls the route's handler with the items. */
  readonly handle: (items: BatchItem[]) => unknown;
}

/** What a batch route gets from the running app (batch-set.ts) when it starts. */
export interface BatchAttachment {
  readonly logger: Logger;
  readonly stopping: AbortSignal;
  /** True when the broker will send nothing more until something is acknowledged (flushes every route). */
  readonly windowFull: () => boolean;
  /** Told each time an item joins a batch (testApp.flush() waits on it). */
  readonly joined: () => void;
  readonly observer?: BatchObserver;
}

/**
 * The batching half of a batch route: items that passed their per-item steps `join()` it and wait;
 * the collector hands them over in batches, at most `concurrency` batches run at once, and each
 * item's wait ends when its batch (or, after a failure, its half) was stored or it failed on its own.
 *
 * @example
 * ```ts
 * const route = new BatchRoute({ handlerName, maxSize: 500, maxWaitMs: 50, concurrency: 1, retry, handle });
 * route.attach({ logger, stopping, windowFull: () => false, joined: () => {} });
 * await route.join(item); // resolves once the item's batch was stored
 * ```
 */
export class BatchRoute {
  readonly #limiter: Limiter;
  readonly #running = new InFlightTracker();
  #collector: BatchCollector<PendingItem> | undefined;
  #runner: BatchRunner | undefined;
  #attachment: BatchAttachment | undefined;

  constructor(readonly settings: BatchRouteSettings) {
    this.#limiter = new Limiter(settings.concurrency);
  }

  /** Starts batching with the app's logger, stop signal, window and metrics. */
  attach(attachment: BatchAttachment): void {
    const { settings } = this;
    this.#attachment = attachment;
    this.#runner = new BatchRunner({
      handlerName: settings.handlerName,
      handle: settings.handle,
      retry: settings.retry,
      logger: attachment.logger.child({ route: settings.handlerName }),
      stopping: attachment.stopping,
      observer: attachment.observer,
    });
    this.#collector = new BatchCollector<PendingItem>(
      settings,
      (items, reason) => this.#hand(items, reason),
      attachment.windowFull,
      () => this.#limiter.running < this.#limiter.limit,
    );
  }

  /** Adds an item to the current batch; resolves when it was stored, rejects when it failed on its own. */
  join(item: BatchItem): Promise<void> {
    const collector = this.#collector;
    if (!collector || !this.#attachment) {
      return Promise.reject(
        new RouteMQError(
          'ERR_APP_STATE',
          `${this.settings.handlerName}: a batch item arrived before the app started`,
        ),
      );
    }
    return new Promise<void>((resolve, reject) => {
      collector.add({ item, resolve, reject });
      this.#attachment?.joined();
    });
  }

  /** Hands over the current batch now for `reason` (the window, a test's flush). */
  flush(reason: FlushReason): void {
    this.#collector?.flush(reason);
  }

  /** The app stops: hand over what is held, and each later item at once. */
  drain(): void {
    this.#collector?.drain();
  }

  /** Resolves once no batch of this route runs or waits for its turn. */
  idle(): Promise<boolean> {
    return this.#running.idle(2 ** 31 - 1);
  }

  #hand(items: PendingItem[], reason: FlushReason): void {
    this.#attachment?.observer?.flushed(items.length, reason);
    const runner = this.#runner;
    if (!runner) return;
    const run = this.#limiter.run(() => runner.run(items, reason));
    void this.#running.track(run.finally(() => this.#collector?.slotFreed()));
  }
}
