/**
 * The targets of the benchmark issue, judged on one run's medians.
 * @module
 */
import type { LookupFigures } from '../lookup/lookup-types';
import type { Measurements, Summary, TargetResult } from './results';

interface TargetSpec {
  readonly name: string;
  readonly comparison: '>=' | '<=';
  readonly limit: number;
  readonly unit: string;
  readonly value: (summary: Summary, measurements: Measurements) => number | undefined;
}

const at = (lookup: readonly LookupFigures[] | undefined, routes: number) =>
  lookup?.find((f) => f.routes === routes);

const SPECS: readonly TargetSpec[] = [
  {
    name: 'QoS 0 throughput, RouteMQ (b) / bare (a)',
    comparison: '>=',
    limit: 0.8,
    unit: 'x',
    value: (s) => s.throughput?.qos0.routemq.ratioToBare,
  },
  {
    name: 'QoS 0 CPU per message, RouteMQ (b) / bare (a)',
    comparison: '<=',
    limit: 1.3,
    unit: 'x',
    value: (s) => s.cpu?.qos0.routemq.ratioToBare,
  },
  {
    name: 'QoS 1 throughput, RouteMQ (b) / bare (a)',
    comparison: '>=',
    limit: 0.9,
    unit: 'x',
    value: (s) => s.throughput?.qos1.routemq.ratioToBare,
  },
  {
    name: 'QoS 1 CPU per message, RouteMQ (b) / bare (a)',
    comparison: '<=',
    limit: 1.2,
    unit: 'x',
    value: (s) => s.cpu?.qos1.routemq.ratioToBare,
  },
  {
    name: 'QoS 0 throughput, RouteMQ (b) / NestJS (d)',
    comparison: '>=',
    limit: 1.8,
    unit: 'x',
    value: (s) => s.routemqOverNest?.qos0,
  },
  {
    name: 'QoS 0 CPU per message, RouteMQ + DTO (c) / bare (a)',
    comparison: '<=',
    limit: 2,
    unit: 'x',
    value: (s) => s.cpu?.qos0['routemq-dto'].ratioToBare,
  },
  {
    name: 'Lookup at 100,000 routes',
    comparison: '<=',
    limit: 1000,
    unit: 'ns',
    value: (_, m) => at(m.lookup, 100_000)?.routemqNs,
  },
  {
    name: 'Lookup at 100,000 routes / at 10 routes',
    comparison: '<=',
    limit: 3,
    unit: 'x',
    value: (_, m) => {
      const [small, large] = [at(m.lookup, 10), at(m.lookup, 100_000)];
      return small && large ? large.routemqNs / small.routemqNs : undefined;
    },
  },
  {
    name: 'Route table memory per route (100,000 routes)',
    comparison: '<=',
    limit: 600,
    unit: 'B',
    value: (_, m) => at(m.lookup, 100_000)?.bytesPerRoute,
  },
  {
    name: 'QoS 0 latency p50, RouteMQ (b) - bare (a)',
    comparison: '<=',
    limit: 0.1,
    unit: 'ms',
    value: (s) => s.latency?.qos0.routemq.p50DeltaMs,
  },
  {
    name: 'QoS 0 latency p99, RouteMQ (b) / bare (a)',
    comparison: '<=',
    limit: 1.5,
    unit: 'x',
    value: (s) => s.latency?.qos0.routemq.p99Ratio,
  },
  {
    name: 'QoS 1 latency p50, RouteMQ (b) - bare (a)',
    comparison: '<=',
    limit: 0.1,
    unit: 'ms',
    value: (s) => s.latency?.qos1.routemq.p50DeltaMs,
  },
  {
    name: 'QoS 1 latency p99, RouteMQ (b) / bare (a)',
    comparison: '<=',
    limit: 1.5,
    unit: 'x',
    value: (s) => s.latency?.qos1.routemq.p99Ratio,
  },
  {
    name: '5 ms handler, concurrency 16, QoS 1',
    comparison: '>=',
    limit: 2000,
    unit: 'msg/s',
    value: (s) => s.concurrency?.concurrent,
  },
  {
    name: 'Messages lost or duplicated',
    comparison: '<=',
    limit: 0,
    unit: '',
    value: (s, m) => (m.throughput || m.paced || m.concurrency ? s.lostOrExtra : undefined),
  },
];

export function judge(summary: Summary, measurements: Measurements): TargetResult[] {
  return SPECS.map((spec) => {
    const value = spec.value(summary, measurements);
    const pass =
      value !== undefined && (spec.comparison === '>=' ? value >= spec.limit : value <= spec.limit);
    const verdict = value === undefined || Number.isNaN(value) ? 'SKIP' : pass ? 'PASS' : 'FAIL';
    return {
      name: spec.name,
      value,
      comparison: spec.comparison,
      limit: spec.limit,
      unit: spec.unit,
      verdict,
    };
  });
}

/** `0.93x`, `412 ns`, `+0.021 ms`. */
export function formatValue(value: number | undefined, unit: string): string {
  if (value === undefined || Number.isNaN(value)) return 'n/a';
  if (unit === 'x') return `${value.toFixed(2)}x`;
  if (unit === 'ms') return `${value >= 0 ? '+' : ''}${value.toFixed(3)} ms`;
  if (unit === '') return String(value);
  return `${Math.round(value).toLocaleString('en-US')} ${unit}`;
}
