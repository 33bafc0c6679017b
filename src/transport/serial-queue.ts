/**
 * Runs asynchronous tasks one at a time, in the order they were pushed.
 * @module
 */

/** One unit of work; it must not reject (catch inside). */
export type SerialTask = () => Promise<void>;

/**
 * A FIFO of tasks run one after another, each after the previous one's promise settled. Transports use
 * it to hand deliveries to the handler in arrival order, one at a time per connection (as mqtt.js does),
 * without blocking the connection's packet reading.
 *
 * @example
 * ```ts
 * const queue = new SerialQueue();
 * queue.push(async () => handle(first));
 * queue.push(async () => handle(second)); // starts after handle(first) settled
 * await queue.idle();
 * ```
 */
export class SerialQueue {
  private readonly tasks: SerialTask[] = [];
  private running = false;
  private idleWaiters: (() => void)[] = [];

  /** Tasks waiting, plus the one running. */
  get size(): number {
    return this.tasks.length + (this.running ? 1 : 0);
  }

  /** Queues a task; the first one starts on the next turn of the event loop, never synchronously. */
  push(task: SerialTask): void {
    this.tasks.push(task);
    if (this.running) return;
    this.running = true;
    setImmediate(() => void this.run());
  }

  /** Drops the tasks that have not started; the running one finishes. */
  clear(): void {
    this.tasks.length = 0;
  }

  /** Resolves true once no task is running or waiting, or false after `timeoutMs` if given. */
  idle(timeoutMs?: number): Promise<boolean> {
    if (!this.running) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => resolve(false), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  private async run(): Promise<void> {
    for (let task = this.tasks.shift(); task; task = this.tasks.shift()) await task();
    this.running = false;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
