/**
 * The committed baseline of `npm run bench:instructions -- --check`: instructions per message of every
 * subject, recorded by `--update` on the same machine type. A count more than {@link CHECK_TOLERANCE}
 * above its baseline fails the check; one below it is reported (re-record to tighten the guard).
 * @module
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { CHECK_TOLERANCE } from './catalog';

export interface Baseline {
  readonly recorded: string;
  readonly commit: string;
  readonly node: string;
  readonly valgrind: string;
  readonly messages: number;
  readonly warmUp: number;
  /** Subject key (catalog.ts) to instructions per message. */
  readonly perMessage: Readonly<Record<string, number>>;
}

export interface CheckLine {
  readonly key: string;
  readonly baseline: number | undefined;
  readonly measured: number;
  /** measured / baseline - 1; undefined without a baseline. */
  readonly change: number | undefined;
  readonly failed: boolean;
}

export function readBaseline(path: string): Baseline | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Baseline;
  } catch {
    return undefined;
  }
}

export function writeBaseline(path: string, baseline: Baseline): void {
  writeFileSync(path, `${JSON.stringify(baseline, null, 2)}\n`);
}

/** Compares every measured subject with the baseline; a subject missing from it fails. */
export function compareWithBaseline(
  baseline: Baseline,
  measured: Readonly<Record<string, number>>,
): CheckLine[] {
  return Object.entries(measured).map(([key, value]) => {
    const before = baseline.perMessage[key];
    if (before === undefined)
      return { key, baseline: undefined, measured: value, change: undefined, failed: true };
    const change = value / before - 1;
    return { key, baseline: before, measured: value, change, failed: change > CHECK_TOLERANCE };
  });
}
