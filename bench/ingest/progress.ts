import type { Done } from './protocol';

/**
 * Counts stored rows in a subject and reports once all arrived: elapsed time and CPU from the first
 * message on, sent to the runner over IPC.
 */
export class Progress {
  #stored = 0;
  #reported = false;
  #startedAt = 0;
  #cpu: NodeJS.CpuUsage | undefined;

  constructor(private readonly expected: number) {}

  /** Call when a message arrives (only the first one counts). */
  arrived(): void {
    if (this.#cpu !== undefined) return;
    this.#startedAt = performance.now();
    this.#cpu = process.cpuUsage();
  }

  stored(count: number): void {
    this.#stored += count;
    // >=: a redelivered message (at-least-once) may be stored twice.
    if (this.#reported || this.#stored < this.expected) return;
    this.#reported = true;
    const cpu = process.cpuUsage(this.#cpu);
    const done: Done = {
      type: 'done',
      elapsedMs: performance.now() - this.#startedAt,
      cpuMicros: cpu.user + cpu.system,
    };
    process.send?.(done);
  }
}
