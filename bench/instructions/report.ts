/**
 * The tables of `npm run bench:instructions`: instructions per message against the bare client, where
 * RouteMQ's instructions go, the check against the baseline and the repeatability of two runs.
 * @module
 */
import type { Table } from '../report/tables';
import type { CheckLine } from './baseline';
import { keyOf, SUBJECTS, TARGETS } from './catalog';
import type { SubjectSpec } from './subjects';

/** Subject key to instructions per message. */
export type Counts = Readonly<Record<string, number>>;

const int = (value: number | undefined): string =>
  value === undefined ? 'n/a' : Math.round(value).toLocaleString('en-US');
const ratio = (value: number | undefined): string => (value === undefined ? 'n/a' : `${value.toFixed(2)}x`);
const percent = (value: number | undefined): string =>
  value === undefined ? 'n/a' : `${value >= 0 ? '+' : ''}${(100 * value).toFixed(2)} %`;

function bareOf(counts: Counts, qos: 0 | 1): number | undefined {
  return counts[`stream/bare/qos${qos}`];
}

/** Instructions per message of the stream subjects, with their ratio to bare and the targets. */
export function streamTable(counts: Counts): Table {
  const rows = SUBJECTS.filter((spec) => spec.mode === 'stream' && counts[keyOf(spec)] !== undefined).map(
    (spec) => {
      const value = counts[keyOf(spec)];
      const bare = bareOf(counts, spec.qos);
      const target = TARGETS.find((t) => t.subject === spec.name && t.qos === spec.qos);
      const vsBare = bare === undefined ? undefined : value / bare;
      const verdict = target && vsBare !== undefined ? (vsBare <= target.limit ? 'PASS' : 'FAIL') : '';
      return [
        spec.title,
        String(spec.qos),
        int(value),
        ratio(vsBare),
        target ? `<= ${ratio(target.limit)}` : '',
        verdict,
      ];
    },
  );
  return {
    head: ['Subject (fed the recorded stream)', 'QoS', 'Instructions/msg', 'vs bare', 'Target', 'Result'],
    rows,
  };
}

/** Where RouteMQ's instructions go, from the differences between subjects. */
export function attributionTable(counts: Counts): Table {
  const at = (key: string): number | undefined => counts[key];
  const minus = (a: number | undefined, b: number | undefined): number | undefined =>
    a === undefined || b === undefined ? undefined : a - b;
  const acksRouteMQ = minus(at('stream/route/qos1'), at('stream/route/qos0'));
  const acksBare = minus(at('stream/bare/qos1'), at('stream/bare/qos0'));
  const parts: [string, number | undefined][] = [
    [
      'mqtt.js: decoding a PUBLISH, handleMessage (bare client minus the work)',
      minus(at('stream/bare/qos0'), at('inprocess/work/qos0')),
    ],
    ['the work: topic split, JSON.parse, a field read', at('inprocess/work/qos0')],
    [
      'RouteMQ dispatch: match, context, handler arguments, limiter, in-flight count',
      minus(at('inprocess/nomw/qos0'), at('inprocess/work/qos0')),
    ],
    ['one middleware', minus(at('inprocess/route/qos0'), at('inprocess/nomw/qos0'))],
    ['DTO validation (ReadingDto, six rules)', minus(at('inprocess/dto/qos0'), at('inprocess/route/qos0'))],
    ['QoS 1 acknowledgement, bare client (PUBACK after the work)', acksBare],
    ['QoS 1 acknowledgement, RouteMQ (ack sequencer, PUBACK after the handler)', acksRouteMQ],
  ];
  return {
    head: ['Part of the cost', 'Instructions/msg'],
    rows: parts.map(([name, value]) => [name, int(value)]),
  };
}

export function checkTable(lines: readonly CheckLine[]): Table {
  return {
    head: ['Subject', 'Baseline', 'Now', 'Change', 'Result'],
    rows: lines.map((line) => [
      line.key,
      int(line.baseline),
      int(line.measured),
      percent(line.change),
      line.failed ? 'FAIL' : 'ok',
    ]),
  };
}

/** Two runs of the same commit side by side. */
export function repeatTable(first: Counts, second: Counts): Table {
  return {
    head: ['Subject', 'Run 1', 'Run 2', 'Difference'],
    rows: Object.keys(first).map((key) => [
      key,
      int(first[key]),
      int(second[key]),
      percent(second[key] / first[key] - 1),
    ]),
  };
}

/** The largest relative difference between two runs. */
export function largestDifference(first: Counts, second: Counts): number {
  return Math.max(...Object.keys(first).map((key) => Math.abs(second[key] / first[key] - 1)));
}

export function specLabel(spec: SubjectSpec): string {
  return `${keyOf(spec)} (${spec.title})`;
}
