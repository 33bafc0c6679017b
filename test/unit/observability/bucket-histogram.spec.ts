import * as prom from 'prom-client';
import { BucketHistogram } from '../../../src/observability/bucket-histogram';

const BUCKETS = [0.001, 0.01, 0.1, 1];
const VALUES = [0.0005, 0.001, 0.005, 0.05, 0.5, 5, 0.01];

function filled(registry: prom.Registry, label?: string): BucketHistogram {
  const histogram = new BucketHistogram({
    name: 'h_seconds',
    help: 'help text',
    buckets: BUCKETS,
    labelName: label,
  });
  histogram.register(registry);
  for (const value of VALUES) histogram.series(label ? 'A.run' : undefined).observe(value);
  return histogram;
}

describe('BucketHistogram', () => {
  it('exposes exactly what prom-client’s Histogram exposes for the same observations', async () => {
    for (const label of [undefined, 'route']) {
      const ours = new prom.Registry();
      filled(ours, label);
      const reference = new prom.Registry();
      const histogram = new prom.Histogram({
        name: 'h_seconds',
        help: 'help text',
        buckets: BUCKETS,
        labelNames: label ? [label] : [],
        registers: [reference],
      });
      for (const value of VALUES) histogram.observe(label ? { [label]: 'A.run' } : {}, value);
      expect(await ours.metrics()).toBe(await reference.metrics());
    }
  });

  it('is summed by AggregatorRegistry.aggregate (the supervisor merging workers)', async () => {
    const one = new prom.Registry();
    const two = new prom.Registry();
    filled(one, 'route');
    filled(two, 'route');
    const merged = prom.AggregatorRegistry.aggregate([
      await one.getMetricsAsJSON(),
      await two.getMetricsAsJSON(),
    ]);
    const text = await merged.metrics();
    expect(text).toContain('h_seconds_count{route="A.run"} 14');
    expect(text).toContain('h_seconds_bucket{le="0.01",route="A.run"} 8');
  });

  it('exports a series at 0 as soon as it exists, and forgets everything on reset', async () => {
    const registry = new prom.Registry();
    const histogram = new BucketHistogram({ name: 'z', help: 'z', buckets: [1], labelName: 'route' });
    histogram.register(registry);
    histogram.series('idle');
    expect(await registry.metrics()).toContain('z_count{route="idle"} 0');
    registry.resetMetrics();
    expect(await registry.metrics()).not.toContain('z_count');
  });
});
