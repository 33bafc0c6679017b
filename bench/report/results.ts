/**
 * The shape of bench/results/*.json: every sample measured, the medians and ratios derived from them,
 * and the verdict on each target.
 * @module
 */
import type { Plan } from '../lib/args';
import type { Sample } from '../lib/measure';
import type { Implementation } from '../lib/protocol';
import type { LookupFigures } from '../lookup/lookup-types';
import type { Samples } from '../scenarios/compare';
import type { ConcurrencySamples } from '../scenarios/concurrency';
import type { Machine } from './machine';

export type QosKey = 'qos0' | 'qos1';

export interface Measurements {
  /** Saturated throughput, bounded end-to-end window. */
  throughput?: Record<QosKey, Samples>;
  /** Paced at `plan.pacedRate`: CPU per message and latency. */
  paced?: Record<QosKey, Samples>;
  concurrency?: ConcurrencySamples;
  lookup?: LookupFigures[];
}

/** Medians of one implementation in one scenario, and its ratio to the bare subscriber. */
export interface Figure {
  readonly median: number;
  /** Median over rounds of (this / bare in the same round). */
  readonly ratioToBare: number;
}

export interface LatencyFigure {
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Median over rounds of (p50 - bare p50 in the same round). */
  readonly p50DeltaMs: number;
  /** Median over rounds of (p99 / bare p99 in the same round). */
  readonly p99Ratio: number;
}

export interface Summary {
  throughput?: Record<QosKey, Record<Implementation, Figure>>;
  /** Median over rounds of RouteMQ (b) / NestJS (d) throughput. */
  routemqOverNest?: Record<QosKey, number>;
  cpu?: Record<QosKey, Record<Implementation, Figure>>;
  latency?: Record<QosKey, Record<Implementation, LatencyFigure>>;
  concurrency?: { readonly concurrent: number; readonly serial: number };
  /** Messages published and not handled, or handled twice, over every measurement. */
  lostOrExtra: number;
}

export type Verdict = 'PASS' | 'FAIL' | 'SKIP';

export interface TargetResult {
  readonly name: string;
  readonly value: number | undefined;
  readonly comparison: '>=' | '<=';
  readonly limit: number;
  readonly unit: string;
  readonly verdict: Verdict;
}

export interface BenchResults {
  readonly date: string;
  readonly durationSeconds: number;
  readonly machine: Machine;
  readonly plan: Plan;
  readonly brokerConfig: string;
  readonly measurements: Measurements;
  readonly summary: Summary;
  readonly targets: TargetResult[];
}

export type { Sample };
