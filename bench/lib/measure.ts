/**
 * One measurement of one subject: warm-up, a window between two marks, then a drain that checks that
 * every message published was handled (exactly once: more would be redeliveries).
 * @module
 */
import type { LatencySummary } from './protocol';
import type { RunningLoad } from './load';
import type { Mark, SubjectProcess } from './subject-process';
import { sleep } from './stats';

export interface Timing {
  readonly warmupMs: number;
  readonly windowMs: number;
}

/** What one window measured. */
export interface Sample {
  /** Messages handled per second during the window. */
  readonly rate: number;
  /** Subject process CPU (user + system) per message handled, in microseconds. */
  readonly cpuMicrosPerMessage: number;
  readonly latency: LatencySummary | undefined;
  /** Messages published during the whole measurement. */
  readonly published: number;
  /** Published but never handled (0 expected). */
  readonly lost: number;
  /** Handled more often than published (0 expected: QoS 1 redeliveries would show here). */
  readonly extra: number;
}

const DRAIN_TIMEOUT_MS = 15_000;

export async function measure(
  subject: SubjectProcess,
  start: () => RunningLoad,
  timing: Timing,
): Promise<Sample> {
  const before = await subject.mark();
  const load = start();
  await sleep(timing.warmupMs);
  const from = await subject.mark();
  await sleep(timing.windowMs);
  const to = await subject.mark();
  const published = load.stop();
  const final = await drain(subject, before.count + published);
  const handled = final.count - before.count;
  return {
    ...rates(from, to),
    latency: to.latency,
    published,
    lost: Math.max(0, published - handled),
    extra: Math.max(0, handled - published),
  };
}

function rates(from: Mark, to: Mark): Pick<Sample, 'rate' | 'cpuMicrosPerMessage'> {
  const messages = to.count - from.count;
  const seconds = (to.atMicros - from.atMicros) / 1e6;
  return { rate: messages / seconds, cpuMicrosPerMessage: (to.cpuMicros - from.cpuMicros) / messages };
}

/** Waits until the subject handled `expected` messages in all, or nothing moved for a while. */
async function drain(subject: SubjectProcess, expected: number): Promise<Mark> {
  let last = await subject.mark();
  let lastMoved = performance.now();
  while (last.count < expected && performance.now() - lastMoved < DRAIN_TIMEOUT_MS) {
    await sleep(20);
    const next = await subject.mark();
    if (next.count !== last.count) lastMoved = performance.now();
    last = next;
  }
  // A redelivered or duplicated message would arrive just after the last expected one.
  await sleep(20);
  return subject.mark();
}
