/**
 * The load generator: one mqtt.js publisher (MQTT 5, TCP_NODELAY) in the runner, publishing the
 * benchmark workload either saturated, with a bounded end-to-end window (at most `window` messages
 * published and not yet handled by the subject), or paced at a fixed rate.
 * @module
 */
import { Socket } from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import { monotonicMicros } from './protocol';
import type { SubjectProcess } from './subject-process';

const DEVICES = 64;
const TOPIC_LEVELS = Array.from({ length: DEVICES }, (_, i) => `dev-${i}`);
/** How often a subject reports its count under saturated load (an IPC write costs it ~30 µs). */
const PROGRESS_MS = 10;

/** A running load; `stop` ends publishing and returns the number of messages it published. */
export interface RunningLoad {
  stop(): number;
}

export class LoadGenerator {
  /** Messages published since the start. */
  sent = 0;

  private constructor(private readonly client: MqttClient) {}

  /**
   * An mqtt.js client, as the reference figures used: the load generator shares the machine
   * with the broker and the subscriber, as any real publisher would.
   */
  static async connect(url: string): Promise<LoadGenerator> {
    const client = await mqtt.connectAsync(url, { protocolVersion: 5, reconnectPeriod: 0 });
    if (client.stream instanceof Socket) client.stream.setNoDelay(true);
    return new LoadGenerator(client);
  }

  /** One message of the workload: `<prefix>/dev-N/data` and a ~110-byte JSON reading. */
  publish(prefix: string, qos: 0 | 1): void {
    const seq = this.sent++;
    const device = TOPIC_LEVELS[seq % DEVICES];
    const payload = `{"device_id":"${device}","seq":${seq},"t":${monotonicMicros()},"temperature":21.5,"humidity":40,"status":"ok"}`;
    this.client.publish(`${prefix}/${device}/data`, payload, { qos });
  }

  /**
   * Publishes whenever the subject's progress leaves room in the window. The subject reports its
   * count every PROGRESS_MS while this load runs (and not otherwise: the reports cost it CPU).
   */
  saturate(subject: SubjectProcess, prefix: string, qos: 0 | 1, window: number): RunningLoad {
    const first = this.sent;
    const handledAtStart = subject.reported;
    let running = true;
    subject.reportEvery(PROGRESS_MS);
    const refill = (handled: number): void => {
      if (!running) return;
      const inFlight = this.sent - first - (handled - handledAtStart);
      for (let i = inFlight; i < window; i++) this.publish(prefix, qos);
    };
    subject.onProgress = refill;
    refill(handledAtStart);
    return {
      stop: () => {
        running = false;
        subject.reportEvery(0);
        subject.onProgress = () => undefined;
        return this.sent - first;
      },
    };
  }

  /** Publishes `rate` messages per second, in one batch per millisecond tick (what is due by then). */
  pace(prefix: string, qos: 0 | 1, rate: number): RunningLoad {
    const first = this.sent;
    const started = performance.now();
    const timer = setInterval(() => {
      const due = Math.floor(((performance.now() - started) * rate) / 1000);
      while (this.sent - first < due) this.publish(prefix, qos);
    }, 1);
    return {
      stop: () => {
        clearInterval(timer);
        return this.sent - first;
      },
    };
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }
}
