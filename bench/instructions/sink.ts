/**
 * Where every subject's handler ends: the same few instructions for all of them (count, look at a
 * field), and a promise that resolves when a run's last message arrived.
 * @module
 */

/** The fields of the reading that handlers touch. */
export interface Reading {
  readonly temperature: number;
}

export class Sink {
  count = 0;
  /** Readings above 1000 degrees: never, but the handler must look at the field. */
  hot = 0;
  #target = Number.POSITIVE_INFINITY;
  #reached: (() => void) | undefined;

  hit(deviceId: string, reading: Reading): void {
    if (deviceId.length === 0 || reading.temperature > 1000) this.hot++;
    if (++this.count === this.#target) this.#reached?.();
  }

  /** Resolves when the count reaches `target`. */
  until(target: number): Promise<void> {
    if (this.count >= target) return Promise.resolve();
    return new Promise((resolve) => {
      this.#target = target;
      this.#reached = resolve;
    });
  }
}

/** The one sink of the process (a subject process runs one subject). */
export const sink = new Sink();
