/**
 * Fault injection at points of the load: an action fires once the load generator got a given number
 * of acknowledgements. Actions run one after the other, in the background, so publishing goes on while
 * the app or the broker is down (that is the point).
 * @module
 */

export interface ChaosStep {
  /** Fire once this many messages were acknowledged. */
  readonly atAcked: number;
  readonly name: string;
  readonly action: () => Promise<void>;
}

export class Chaos {
  /** Steps done, in order, with when they started and how long they took. */
  readonly done: Array<{ name: string; startedAt: number; ms: number }> = [];
  #next = 0;
  #chain: Promise<void> = Promise.resolve();
  #failure: unknown;

  constructor(private readonly steps: readonly ChaosStep[]) {}

  /** Pass as the load generator's `onAcked`. */
  readonly onAcked = (acked: number): void => {
    while (this.#next < this.steps.length && this.steps[this.#next].atAcked <= acked) {
      const step = this.steps[this.#next++];
      this.#chain = this.#chain.then(() => this.#run(step));
    }
  };

  /** Resolves when every step that fired finished; rethrows the first failure. */
  async finished(): Promise<void> {
    await this.#chain;
    if (this.#failure !== undefined) throw this.#failure;
  }

  async #run(step: ChaosStep): Promise<void> {
    if (this.#failure !== undefined) return;
    const startedAt = Date.now();
    try {
      await step.action();
      this.done.push({ name: step.name, startedAt, ms: Date.now() - startedAt });
    } catch (error) {
      this.#failure = error;
    }
  }
}
