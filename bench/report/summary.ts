/**
 * Medians and same-round ratios from the raw samples.
 * @module
 */
import { median } from '../lib/stats';
import { IMPLEMENTATIONS, type Implementation } from '../lib/protocol';
import type { Sample } from '../lib/measure';
import type { Samples } from '../scenarios/compare';
import type { Figure, LatencyFigure, Measurements, QosKey, Summary } from './results';

const QOS_KEYS: readonly QosKey[] = ['qos0', 'qos1'];

export function summarize(measurements: Measurements): Summary {
  const { throughput, paced, concurrency } = measurements;
  return {
    throughput: throughput && perQos((qos) => figures(throughput[qos], (s) => s.rate)),
    routemqOverNest:
      throughput &&
      perQos((qos) => pairedRatio(throughput[qos].routemq, throughput[qos].nest, (s) => s.rate)),
    cpu: paced && perQos((qos) => figures(paced[qos], (s) => s.cpuMicrosPerMessage)),
    latency: paced && perQos((qos) => latencies(paced[qos])),
    concurrency: concurrency && {
      concurrent: median(concurrency.concurrent.map((s) => s.rate)),
      serial: median(concurrency.serial.map((s) => s.rate)),
    },
    lostOrExtra: allSamples(measurements).reduce((sum, s) => sum + s.lost + s.extra, 0),
  };
}

function perQos<T>(make: (qos: QosKey) => T): Record<QosKey, T> {
  return { qos0: make('qos0'), qos1: make('qos1') };
}

function byImplementation<T>(make: (implementation: Implementation) => T): Record<Implementation, T> {
  return Object.fromEntries(IMPLEMENTATIONS.map((i) => [i, make(i)])) as Record<Implementation, T>;
}

function figures(samples: Samples, value: (sample: Sample) => number): Record<Implementation, Figure> {
  return byImplementation((implementation) => ({
    median: median(samples[implementation].map(value)),
    ratioToBare: pairedRatio(samples[implementation], samples.bare, value),
  }));
}

/** Median over rounds of a[round] / b[round]. */
function pairedRatio(a: readonly Sample[], b: readonly Sample[], value: (sample: Sample) => number): number {
  return median(a.map((sample, round) => value(sample) / value(b[round])));
}

function latencies(samples: Samples): Record<Implementation, LatencyFigure> {
  const p50 = (s: Sample) => s.latency?.p50Ms ?? Number.NaN;
  const p99 = (s: Sample) => s.latency?.p99Ms ?? Number.NaN;
  return byImplementation((implementation) => {
    const own = samples[implementation];
    return {
      p50Ms: median(own.map(p50)),
      p99Ms: median(own.map(p99)),
      p50DeltaMs: median(own.map((s, round) => p50(s) - p50(samples.bare[round]))),
      p99Ratio: pairedRatio(own, samples.bare, p99),
    };
  });
}

function allSamples(measurements: Measurements): Sample[] {
  const groups: Samples[] = [];
  for (const qos of QOS_KEYS) {
    if (measurements.throughput) groups.push(measurements.throughput[qos]);
    if (measurements.paced) groups.push(measurements.paced[qos]);
  }
  const fromGroups = groups.flatMap((group) => IMPLEMENTATIONS.flatMap((i) => group[i]));
  const concurrency = measurements.concurrency;
  return concurrency ? [...fromGroups, ...concurrency.concurrent, ...concurrency.serial] : fromGroups;
}
