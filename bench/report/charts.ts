/**
 * SVG charts drawn with Vega-Lite (compiled to Vega, rendered headless by `view.toSVG()`; no canvas,
 * no native module). Vega and Vega-Lite are ES modules, loaded with import() from this CommonJS build.
 * @module
 */
import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };
import { IMPLEMENTATIONS, LABELS } from '../lib/protocol';
import type { LookupFigures } from '../lookup/lookup-types';
import type { Summary } from './results';

type Row = Record<string, string | number>;

const WIDTH = 420;

/** Renders a Vega-Lite spec to SVG. */
export async function render(spec: TopLevelSpec): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Grouped bars: one group per implementation, one bar per QoS. */
function perImplementation(rows: Row[], field: string, title: string, axis: string): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: WIDTH,
    height: 220,
    data: { values: rows },
    encoding: {
      x: {
        field: 'implementation',
        type: 'nominal',
        sort: IMPLEMENTATIONS.map((i) => LABELS[i]),
        title: null,
        axis: { labelAngle: 0 },
      },
      xOffset: { field: 'qos', type: 'nominal' },
      color: { field: 'qos', type: 'nominal', title: 'QoS', scale: { range: ['#4c78a8', '#f58518'] } },
    },
    layer: [
      { mark: 'bar', encoding: { y: { field, type: 'quantitative', title: axis } } },
      {
        mark: { type: 'text', dy: -6, fontSize: 10 },
        encoding: { y: { field, type: 'quantitative' }, text: { field: 'label', type: 'nominal' } },
      },
    ],
  };
}

function rowsOf(figures: NonNullable<Summary['throughput']>, format: (value: number) => string): Row[] {
  return (['qos0', 'qos1'] as const).flatMap((qos) =>
    IMPLEMENTATIONS.map((i) => ({
      implementation: LABELS[i],
      qos: qos === 'qos0' ? 'QoS 0' : 'QoS 1',
      value: figures[qos][i].median,
      label: format(figures[qos][i].median),
    })),
  );
}

export function throughputChart(summary: Summary): Promise<string> | undefined {
  if (!summary.throughput) return undefined;
  const rows = rowsOf(summary.throughput, (v) => `${Math.round(v / 1000)}k`);
  return render(perImplementation(rows, 'value', 'Saturated throughput (median, messages/s)', 'messages/s'));
}

export function cpuChart(summary: Summary): Promise<string> | undefined {
  if (!summary.cpu) return undefined;
  const rows = rowsOf(summary.cpu, (v) => v.toFixed(1));
  return render(
    perImplementation(
      rows,
      'value',
      'Subscriber CPU per message at a paced rate (median, µs)',
      'µs CPU per message',
    ),
  );
}

const ROUTE_AXIS = { values: [10, 100, 1000, 10000, 100000], format: '~s' };

/** Left: RouteMQ alone on a linear scale (its growth is visible); right: both, log-log. */
export function lookupChart(lookup: readonly LookupFigures[] | undefined): Promise<string> | undefined {
  if (!lookup) return undefined;
  const names = ['RouteMQ (trie)', 'NestJS (linear scan)'];
  const rows: Row[] = lookup.flatMap((f) => [
    { routes: f.routes, implementation: names[0], ns: f.routemqNs },
    { routes: f.routes, implementation: names[1], ns: f.nestNs },
  ]);
  const x = {
    field: 'routes',
    type: 'quantitative',
    scale: { type: 'log' },
    title: 'routes',
    axis: ROUTE_AXIS,
  } as const;
  const color = {
    field: 'implementation',
    type: 'nominal',
    title: null,
    scale: { domain: names, range: ['#4c78a8', '#e45756'] },
    legend: { orient: 'bottom', labelLimit: 0 },
  } as const;
  return render({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Lookup cost per message against route count',
    data: { values: rows },
    hconcat: [
      {
        width: 240,
        height: 220,
        transform: [{ filter: `datum.implementation === '${names[0]}'` }],
        mark: { type: 'line', point: true },
        encoding: {
          x,
          y: { field: 'ns', type: 'quantitative', title: 'ns per lookup', scale: { zero: true } },
          color,
        },
      },
      {
        width: 240,
        height: 220,
        mark: { type: 'line', point: true },
        encoding: {
          x,
          y: {
            field: 'ns',
            type: 'quantitative',
            scale: { type: 'log' },
            title: 'ns per lookup (log)',
            axis: { values: [100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8], format: '~s' },
          },
          color,
        },
      },
    ],
  });
}
