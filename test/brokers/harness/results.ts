/**
 * The broker x case figures of one run (lost, duplicates, reconnect time), written as JSON and as a
 * Markdown table to test/brokers/results/ for docs/brokers.md and review.
 * @module
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One case on one broker. */
export interface CaseResult {
  readonly broker: string;
  readonly case: string;
  readonly passed: boolean;
  /** What the case measured: lost, duplicates, reconnectMs, handledBy... */
  readonly figures: Record<string, number | string>;
}

const results: CaseResult[] = [];

/** Records one case (call it whether the case passed or not). */
export function recordCase(result: CaseResult): void {
  results.push(result);
}

/** Writes results/latest.json and results/latest.md. */
export function writeResults(): void {
  if (results.length === 0) return;
  const dir = join(__dirname, '..', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'latest.json'),
    `${JSON.stringify({ at: new Date().toISOString(), results }, null, 2)}\n`,
  );
  const rows = results.map((r) => {
    const figures = Object.entries(r.figures)
      .map(([key, value]) => `${key}: ${value}`)
      .join(', ');
    return `| ${r.broker} | ${r.case} | ${r.passed ? 'pass' : 'FAIL'} | ${figures} |`;
  });
  const table = ['| broker | case | result | figures |', '| --- | --- | --- | --- |', ...rows].join('\n');
  writeFileSync(join(dir, 'latest.md'), `# Broker compatibility: latest run\n\n${table}\n`);
}
