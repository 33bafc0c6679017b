/** A dependency checked on every readiness request (Redis, the database). */
export interface DependencyProbe {
  readonly name: string;
  /** Resolves true when the dependency answers; must settle within its own bound. */
  check(): Promise<boolean>;
}

/** The answer of `/ready`: every check by name, and whether they all pass. */
export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, boolean>>;
}

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

  constructor(private probes: readonly DependencyProbe[] = []) {}

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
    const results = await Promise.all(this.probes.map((probe) => probe.check().catch(() => false)));
    this.probes.forEach((probe, i) => (checks[probe.name] = results[i]));
    return { ready: Object.values(checks).every(Boolean), checks };
  }
}
