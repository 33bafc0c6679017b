/** How the supervisor restarts crashed workers. */
export interface RestartPolicy {
  /** First restart delay; doubled per consecutive crash (default 200 ms). */
  readonly minDelayMs: number;
  /** Cap of the delay (default 30 s). */
  readonly maxDelayMs: number;
  /** Crashes tolerated within `windowMs` before the slot is given up as a crash loop (default 5). */
  readonly maxCrashes: number;
  readonly windowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  minDelayMs: 200,
  maxDelayMs: 30_000,
  maxCrashes: 5,
  windowMs: 60_000,
};

/**
 * The crash history of one worker slot: the delay before its next restart, or undefined when it crashed
 * too often too quickly (a crash loop: restarting forever would only hide the bug and burn the CPU).
 */
export class CrashHistory {
  readonly #crashes: number[] = [];

  constructor(private readonly policy: RestartPolicy) {}

  /** Records a crash now; returns the restart delay, or undefined to give up. */
  recordCrash(now: number = Date.now()): number | undefined {
    this.#crashes.push(now);
    while (this.#crashes.length > 0 && this.#crashes[0] < now - this.policy.windowMs) this.#crashes.shift();
    if (this.#crashes.length > this.policy.maxCrashes) return undefined;
    const exponent = this.#crashes.length - 1;
    return Math.min(this.policy.maxDelayMs, this.policy.minDelayMs * 2 ** exponent);
  }

  /** Crashes within the window. */
  get recent(): number {
    return this.#crashes.length;
  }
}
