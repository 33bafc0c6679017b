/** A dependency checked on every readiness request (Redis, the database). */
export interface DependencyProbe {
  readonly name: string;
  /** Resolves true when the dependency answers; must settle within its own bound. */
  check(): Promise<boolean>;
}

/** The answer of `/ready`: every check by name, whether they all pass, and why not. */
export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, boolean>>;
  /** A sentence per failed check that needs one (a held acknowledgement: which age, which limit). */
  readonly reasons?: readonly string[];
}

/** The age of the oldest acknowledgement the transport still holds, in ms (undefined: none). */
export type OldestUnacked = () => number | undefined;

/**
 * Whether this process should receive work (Kubernetes readiness): started, connected to the broker,
 * subscribed, every configured dependency reachable, and not draining. Liveness (`/health`) is
 * separate: a process that lost its broker is alive and waits for it.
 *
 * @example
 * ```ts
 * const readiness = new Readiness([redisProbe]);
 * readiness.started();
 * (await readiness.check()).ready; // true while connected and Redis answers
 * readiness.draining();            // from now on false
 * ```
 */
export class Readiness {
  #broker = false;
  #subscribed = false;
  #draining = false;
  #oldestUnacked: OldestUnacked | undefined;

  /**
   * @param maxAckAgeMs READY_MAX_ACK_AGE_MS: not ready while an acknowledgement has been held longer
   * (every later ack waits behind it, and the broker stops delivering at its in-flight limit).
   */
  constructor(
    private probes: readonly DependencyProbe[] = [],
    private readonly maxAckAgeMs = 60_000,
  ) {}

  /** Reads the transport's oldest held acknowledgement on every check. */
  watchAcks(oldestUnacked: OldestUnacked): void {
    this.#oldestUnacked = oldestUnacked;
  }

  /** Adds dependencies to check (known once every provider is registered, at start). */
  watch(probes: readonly DependencyProbe[]): void {
    this.probes = [...this.probes, ...probes];
  }

  /** The broker connection went up (true) or down (false). */
  brokerConnected(up: boolean): void {
    this.#broker = up;
  }

  /** Connected and subscribed: the app serves its routes. */
  started(): void {
    this.#broker = true;
    this.#subscribed = true;
  }

  /** The app began stopping: no new work should come here. */
  draining(): void {
    this.#draining = true;
  }

  async check(): Promise<ReadinessReport> {
    const checks: Record<string, boolean> = {
      broker: this.#broker,
      subscribed: this.#subscribed,
      draining: !this.#draining,
    };
    const reasons: string[] = [];
    const ageMs = this.#oldestUnacked?.();
    if (this.#oldestUnacked) checks.acks = ageMs === undefined || ageMs <= this.maxAckAgeMs;
    if (checks.acks === false) {
      reasons.push(
        `an acknowledgement has been held for ${Math.round((ageMs ?? 0) / 1000)} s, longer than ` +
          `READY_MAX_ACK_AGE_MS=${this.maxAckAgeMs}: a message is stuck and later acks wait behind it`,
      );
    }
    const results = await Promise.all(this.probes.map((probe) => probe.check().catch(() => false)));
    this.probes.forEach((probe, i) => (checks[probe.name] = results[i]));
    const ready = Object.values(checks).every(Boolean);
    return reasons.length > 0 ? { ready, checks, reasons } : { ready, checks };
  }
}
