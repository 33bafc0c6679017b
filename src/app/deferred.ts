/** A promise with its resolve and reject functions, for a value that another step provides later. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(reason: unknown): void;
}

/**
 * Creates a {@link Deferred}. Its promise never causes an unhandled-rejection warning by itself: a
 * rejection matters only to whoever awaits it.
 *
 * @example
 * ```ts
 * const ready = deferred<number>();
 * setTimeout(() => ready.resolve(42), 10);
 * await ready.promise; // 42
 * ```
 */
export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
