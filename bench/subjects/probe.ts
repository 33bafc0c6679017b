/**
 * The part every subject shares, so that the implementations differ only in how a message reaches its
 * handler: the handler's work ends in `probe.hit`, which counts, records the publish-to-handler latency
 * and answers the runner over IPC.
 * @module
 */
import {
  monotonicMicros,
  type LatencySummary,
  type RunnerMessage,
  type SubjectMessage,
} from '../lib/protocol';

/** The fields of the benchmark payload that handlers touch. */
export interface Reading {
  readonly device_id: string;
  readonly seq: number;
  /** Publish time, monotonic microseconds (lib/protocol.ts). */
  readonly t: number;
  readonly temperature: number;
  readonly humidity: number;
  readonly status: string;
}

const MAX_SAMPLES = 1 << 18;

export class Probe {
  count = 0;
  /** Readings above 1000 degrees: never, but the handler must look at the field. */
  hot = 0;
  #progress: NodeJS.Timeout | undefined;
  #samples = new Float64Array(MAX_SAMPLES);
  #sampled = 0;

  constructor() {
    process.on('message', (message: RunnerMessage) => this.#onMessage(message));
    // The runner going away must not leave a subject behind.
    process.on('disconnect', () => process.exit(0));
  }

  /** The end of every handler: the device id taken from the topic and the parsed reading. */
  hit(deviceId: string, reading: Reading): void {
    if (deviceId.length === 0 || reading.temperature > 1000) this.hot++;
    if (this.#sampled < MAX_SAMPLES) this.#samples[this.#sampled++] = monotonicMicros() - reading.t;
    this.count++;
  }

  ready(): void {
    send({ type: 'ready' });
  }

  #onMessage(message: RunnerMessage): void {
    if (message.type === 'exit') process.exit(0);
    if (message.type === 'progress') {
      // From a timer, not from the handler: an IPC write costs ~5 µs, and the reports must cost every
      // subject the same, whatever its rate.
      clearInterval(this.#progress);
      if (message.intervalMs > 0) {
        this.#progress = setInterval(() => send({ type: 'progress', count: this.count }), message.intervalMs);
      }
      return;
    }
    // Count and CPU first: the percentile sort below must not fall into the window being measured.
    const atMicros = monotonicMicros();
    const count = this.count;
    const usage = process.cpuUsage();
    const latency = this.#latency();
    send({ type: 'mark', atMicros, count, cpuMicros: usage.user + usage.system, latency });
  }

  #latency(): LatencySummary | undefined {
    const samples = this.#samples.subarray(0, this.#sampled).sort();
    this.#sampled = 0;
    if (samples.length === 0) return undefined;
    const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] / 1000;
    return { samples: samples.length, p50Ms: at(0.5), p99Ms: at(0.99) };
  }
}

function send(message: SubjectMessage): void {
  process.send?.(message);
}
