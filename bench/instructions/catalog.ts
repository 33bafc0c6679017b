/**
 * What the instruction benchmark measures, and the targets it judges (against the bare mqtt.js client
 * fed the same stream, at the same QoS).
 * @module
 */
import type { SubjectSpec } from './subjects';

/**
 * Subjects whose count `--check` compares. Not the QoS 1 stream subjects: their acknowledgement path
 * runs wall-clock timers, so under callgrind (50x slower) their count varies by a few per cent between
 * runs (docs/benchmarks.md#instruction-counts); they are measured and reported, not checked.
 */
export function isChecked(spec: SubjectSpec): boolean {
  return !(spec.mode === 'stream' && spec.qos === 1);
}

export const SUBJECTS: readonly SubjectSpec[] = [
  { name: 'bare', mode: 'stream', qos: 0, title: '(a) bare mqtt.js' },
  { name: 'route', mode: 'stream', qos: 0, title: '(b) RouteMQ route' },
  { name: 'dto', mode: 'stream', qos: 0, title: '(c) RouteMQ + DTO' },
  { name: 'bare', mode: 'stream', qos: 1, title: '(a) bare mqtt.js' },
  { name: 'route', mode: 'stream', qos: 1, title: '(b) RouteMQ route' },
  { name: 'dto', mode: 'stream', qos: 1, title: '(c) RouteMQ + DTO' },
  { name: 'work', mode: 'inprocess', qos: 0, title: 'the work alone (split, JSON.parse, field)' },
  { name: 'nomw', mode: 'inprocess', qos: 0, title: 'RouteMQ dispatch, no middleware' },
  { name: 'route', mode: 'inprocess', qos: 0, title: 'RouteMQ dispatch + 1 middleware' },
  { name: 'dto', mode: 'inprocess', qos: 0, title: 'RouteMQ dispatch + middleware + DTO' },
];

/** The key of a subject in results and in the baseline: `stream/route/qos0`. */
export function keyOf(spec: SubjectSpec): string {
  return `${spec.mode}/${spec.name}/qos${spec.qos}`;
}

export interface Target {
  readonly subject: string;
  readonly qos: 0 | 1;
  /** Instructions per message of the subject / of the bare client, at most. */
  readonly limit: number;
}

export const TARGETS: readonly Target[] = [
  { subject: 'route', qos: 0, limit: 1.1 },
  { subject: 'route', qos: 1, limit: 1.05 },
  { subject: 'dto', qos: 0, limit: 1.3 },
];

/** Growth over the committed baseline that fails `--check`. */
export const CHECK_TOLERANCE = 0.03;
