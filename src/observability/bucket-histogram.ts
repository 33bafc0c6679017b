/**
 * A Prometheus histogram whose `observe` is a few array increments. prom-client's own histogram
 * hashes its labels on every observation (~250 ns here, most of the per-message cost of metrics);
 * this one keeps one series object per label value, found once, and builds the exposition only when
 * scraped. It registers in a prom-client registry like any metric (`registry.registerMetric`), and
 * `getMetricsAsJSON()` gives the standard shape, so `AggregatorRegistry.aggregate` sums it.
 * @module
 */
import type { Metric, Registry } from 'prom-client';

/** One label set of a histogram: what the hot path holds on to. */
export class HistogramSeries {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(private readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length);
  }

  observe(value: number): void {
    const bounds = this.bounds;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]) {
        this.counts[i]++;
        break;
      }
    }
    this.sum += value;
    this.count++;
  }
}

/** What {@link BucketHistogram} is built from. */
export interface BucketHistogramConfig {
  readonly name: string;
  readonly help: string;
  /** Upper bounds, ascending (`+Inf` is implied). */
  readonly buckets: readonly number[];
  /** The one label of the series (e.g. `route`); none when omitted. */
  readonly labelName?: string;
}

/** One exported sample, in the shape prom-client's `getMetricsAsJSON()` gives. */
interface Value {
  readonly metricName: string;
  readonly labels: Readonly<Record<string, string | number>>;
  readonly value: number;
}

/** What prom-client's registry reads from a metric. */
interface Exported {
  readonly name: string;
  readonly help: string;
  readonly type: 'histogram';
  readonly aggregator: 'sum';
  readonly values: Value[];
}

/**
 * A histogram metric with at most one label.
 *
 * @example
 * ```ts
 * const durations = new BucketHistogram({ name: 'x_seconds', help: '...', buckets: [0.01, 0.1, 1], labelName: 'route' });
 * durations.register(registry);
 * durations.series('A.run').observe(0.004);
 * ```
 */
export class BucketHistogram {
  readonly type = 'histogram' as const;
  readonly aggregator = 'sum' as const;
  readonly name: string;
  readonly help: string;
  readonly #series = new Map<string, HistogramSeries>();

  constructor(private readonly config: BucketHistogramConfig) {
    this.name = config.name;
    this.help = config.help;
  }

  /** Adds the histogram to a prom-client registry. */
  register(registry: Registry): void {
    // prom-client's Metric type lists its own classes; its registry only calls get() (and reset()).
    registry.registerMetric(this as unknown as Metric);
  }

  /** The series of one label value (made at 0 on first use, so it is exported before any observation). */
  series(labelValue = ''): HistogramSeries {
    let series = this.#series.get(labelValue);
    if (!series) {
      series = new HistogramSeries(this.config.buckets);
      this.#series.set(labelValue, series);
    }
    return series;
  }

  async get(): Promise<Exported> {
    const values: Value[] = [];
    const bucket = `${this.name}_bucket`;
    for (const [labelValue, series] of this.#series) {
      const labels = this.config.labelName === undefined ? {} : { [this.config.labelName]: labelValue };
      let cumulative = 0;
      this.config.buckets.forEach((le, i) => {
        cumulative += series.counts[i];
        values.push({ metricName: bucket, labels: { le, ...labels }, value: cumulative });
      });
      values.push({ metricName: bucket, labels: { le: '+Inf', ...labels }, value: series.count });
      values.push({ metricName: `${this.name}_sum`, labels, value: series.sum });
      values.push({ metricName: `${this.name}_count`, labels, value: series.count });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  reset(): void {
    this.#series.clear();
  }
}
