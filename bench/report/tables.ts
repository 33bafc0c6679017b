/**
 * The result tables, as rows of cells, shared by the console report and docs/benchmarks.md.
 * @module
 */
import { IMPLEMENTATIONS, LABELS } from '../lib/protocol';
import type { LookupFigures } from '../lookup/lookup-types';
import { CONCURRENCY, HANDLER_MS } from '../scenarios/concurrency';
import type { Summary, TargetResult } from './results';
import { formatValue } from './targets';

export interface Table {
  readonly head: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

const int = (value: number) => Math.round(value).toLocaleString('en-US');
const ratio = (value: number) => `${value.toFixed(2)}x`;

export function targetsTable(targets: readonly TargetResult[]): Table {
  return {
    head: ['Target', 'Value', 'Limit', 'Result'],
    rows: targets.map((t) => [
      t.name,
      formatValue(t.value, t.unit),
      `${t.comparison} ${formatValue(t.limit, t.unit)}`,
      t.verdict,
    ]),
  };
}

export function throughputTable(summary: Summary): Table | undefined {
  const t = summary.throughput;
  if (!t) return undefined;
  return {
    head: ['Implementation', 'QoS 0 msg/s', 'QoS 0 vs bare', 'QoS 1 msg/s', 'QoS 1 vs bare'],
    rows: IMPLEMENTATIONS.map((i) => [
      LABELS[i],
      int(t.qos0[i].median),
      ratio(t.qos0[i].ratioToBare),
      int(t.qos1[i].median),
      ratio(t.qos1[i].ratioToBare),
    ]),
  };
}

export function pacedTable(summary: Summary): Table | undefined {
  const { cpu, latency } = summary;
  if (!cpu || !latency) return undefined;
  const ms = (value: number) => value.toFixed(3);
  return {
    head: [
      'Implementation',
      'QoS',
      'CPU µs/msg',
      'CPU vs bare',
      'p50 ms',
      'p99 ms',
      'p50 - bare',
      'p99 vs bare',
    ],
    rows: (['qos0', 'qos1'] as const).flatMap((qos) =>
      IMPLEMENTATIONS.map((i) => [
        LABELS[i],
        qos === 'qos0' ? '0' : '1',
        cpu[qos][i].median.toFixed(2),
        ratio(cpu[qos][i].ratioToBare),
        ms(latency[qos][i].p50Ms),
        ms(latency[qos][i].p99Ms),
        formatValue(latency[qos][i].p50DeltaMs, 'ms'),
        ratio(latency[qos][i].p99Ratio),
      ]),
    ),
  };
}

export function lookupTable(lookup: readonly LookupFigures[] | undefined): Table | undefined {
  if (!lookup) return undefined;
  const base = lookup[0]?.routemqNs ?? Number.NaN;
  return {
    head: [
      'Routes',
      'RouteMQ ns/lookup',
      'vs 10 routes',
      'NestJS ns/lookup',
      'Table B/route',
      'Templates B/route',
    ],
    rows: lookup.map((f) => [
      int(f.routes),
      int(f.routemqNs),
      ratio(f.routemqNs / base),
      int(f.nestNs),
      f.routes >= 1000 ? int(f.bytesPerRoute) : 'n/a',
      f.routes >= 1000 ? int(f.templateBytesPerRoute) : 'n/a',
    ]),
  };
}

export function concurrencyTable(summary: Summary): Table | undefined {
  const c = summary.concurrency;
  if (!c) return undefined;
  return {
    head: ['Route (QoS 1, handler awaits 5 ms)', 'msg/s (median)'],
    rows: [
      [`concurrency ${CONCURRENCY}`, int(c.concurrent)],
      ['concurrency 1 (serial)', int(c.serial)],
      [`ceiling: ${CONCURRENCY} / ${HANDLER_MS} ms`, int((CONCURRENCY * 1000) / HANDLER_MS)],
    ],
  };
}

/** Fixed-width text for the console. */
export function printTable(title: string, table: Table | undefined): void {
  if (!table) return;
  const widths = table.head.map((h, c) => Math.max(h.length, ...table.rows.map((r) => r[c].length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  console.log(`\n${title}\n${line(table.head)}`);
  for (const row of table.rows) console.log(line(row));
}

/** A Markdown table (prettier aligns it afterwards). */
export function markdownTable(table: Table | undefined): string {
  if (!table) return '_Not measured in this run._';
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const rule = table.head.map((_, c) => (c === 0 ? '---' : '--:'));
  return [line(table.head), line(rule), ...table.rows.map(line)].join('\n');
}
