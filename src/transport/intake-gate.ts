/**
 * Bounds what the app holds in memory: past a number of messages or bytes taken in but not yet
 * processed, the connection stops reading until enough of them settled.
 * @module
 */

/** Limits of an {@link IntakeGate}. */
export interface IntakeLimits {
  /** Messages taken in and not yet settled before reading stops (MAX_HELD_MESSAGES). */
  readonly maxMessages: number;
  /** Their payload and topic bytes before reading stops (MAX_HELD_BYTES). */
  readonly maxBytes: number;
}

/** What the gate asks about the connection when reading has been stopped without progress. */
export interface IntakeNeeds {
  /**
   * Whether an answer the app waits for may sit unread in the socket: the PUBACK of one of our own
   * QoS 1/2 publishes (a handler may await it) or a PINGRESP (mqtt.js drops the connection 1.5
   * keepalives after its PINGREQ when none was read).
   */
  waitsForBroker(): boolean;
}

/** How often a stopped gate checks for progress; short next to any keepalive (seconds). */
const WATCH_INTERVAL_MS = 250;

/**
 * Stops mqtt.js' packet pump while too much is held. mqtt.js reads one packet at a time and goes on
 * only when `handleMessage` calls back; a callback kept back means no further chunk is taken from the
 * socket, so TCP flow control pushes back on the broker: the app's memory stays bounded whatever the
 * broker does with its receive maximum (Mosquitto 2.0.x overshoots it, and mqtt.js enforces it only
 * for QoS 2: docs/reliability.md). Nothing is dropped: the messages wait in the broker and the socket.
 *
 * Reading resumes below half of both limits. One exception keeps the connection alive: when nothing
 * settled for a while and the app waits for a packet from the broker (the PUBACK a handler awaits, or
 * a PINGRESP), the pump runs again until something settles or nothing is awaited, so that a handler awaiting its own QoS 1
 * publish cannot deadlock and the keepalive holds (MQTT 5.0 section 3.1.2.10).
 *
 * @example
 * ```ts
 * const gate = new IntakeGate({ maxMessages: 500, maxBytes: 64 * 1024 * 1024 }, needs);
 * client.handleMessage = (packet, done) => { const settle = gate.admit(bytesOf(packet)); run(packet).finally(settle); gate.pass(done); };
 * ```
 */
export class IntakeGate {
  #messages = 0;
  #bytes = 0;
  #held: (() => void) | undefined;
  #settledSinceWatch = false;
  #bypass = false;
  #watch: NodeJS.Timeout | undefined;

  constructor(
    private readonly limits: IntakeLimits,
    private readonly needs: IntakeNeeds,
  ) {}

  /** Messages taken in and not yet settled. */
  get messages(): number {
    return this.#messages;
  }

  /** Bytes of those messages (payload and topic). */
  get bytes(): number {
    return this.#bytes;
  }

  /** Whether reading is stopped right now. */
  get paused(): boolean {
    return this.#held !== undefined;
  }

  /** Counts a message in; call the returned function once, when it was processed. */
  admit(bytes: number): () => void {
    this.#messages++;
    this.#bytes += bytes;
    let settled = false;
    return () => {
      if (settled) return;
      settled = true;
      this.#messages--;
      this.#bytes -= bytes;
      this.#settledSinceWatch = true;
      this.#bypass = false;
      if (this.#held && this.#belowLowWater()) this.#release();
    };
  }

  /** Lets the pump read on at once, or keeps `next` until enough was processed. */
  pass(next: () => void): void {
    if (this.#bypass && !this.needs.waitsForBroker()) this.#bypass = false;
    if (this.#bypass || !this.#overLimit()) {
      next();
      return;
    }
    this.#held = next;
    this.#settledSinceWatch = false;
    this.#watch ??= setInterval(() => this.#check(), WATCH_INTERVAL_MS);
    this.#watch.unref();
  }

  /** Runs a held pump and stops watching: the connection is gone or the transport closes. */
  reset(): void {
    this.#bypass = false;
    this.#release();
  }

  #check(): void {
    if (!this.#held) return;
    if (!this.#settledSinceWatch && this.needs.waitsForBroker()) {
      // Until something settles, every packet is read: the awaited one is behind the deliveries.
      this.#bypass = true;
      this.#release();
      return;
    }
    this.#settledSinceWatch = false;
  }

  #release(): void {
    const next = this.#held;
    this.#held = undefined;
    if (this.#watch) clearInterval(this.#watch);
    this.#watch = undefined;
    next?.();
  }

  #overLimit(): boolean {
    return this.#messages >= this.limits.maxMessages || this.#bytes >= this.limits.maxBytes;
  }

  #belowLowWater(): boolean {
    return this.#messages <= this.limits.maxMessages / 2 && this.#bytes <= this.limits.maxBytes / 2;
  }
}
