/**
 * Writes a run's results: the JSON always, docs/benchmarks.md and its charts on full runs.
 * @module
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { cpuChart, lookupChart, throughputChart } from './charts';
import { ROOT } from './machine';
import { benchmarksMarkdown, CHARTS } from './markdown';
import type { BenchResults } from './results';

/** bench/results/latest.json for a full run, quick.json or partial.json otherwise. */
export function writeJson(results: BenchResults): string {
  const { plan } = results;
  const name = plan.quick ? 'quick' : plan.scenarios.length < 4 ? 'partial' : 'latest';
  const path = join(ROOT, 'bench/results', `${name}.json`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
  return path;
}

export async function writeDocs(results: BenchResults): Promise<string> {
  const charts: Record<keyof typeof CHARTS, Promise<string> | undefined> = {
    throughput: throughputChart(results.summary),
    cpu: cpuChart(results.summary),
    lookup: lookupChart(results.measurements.lookup),
  };
  for (const [name, svg] of Object.entries(charts)) {
    if (svg === undefined) continue;
    const path = join(ROOT, 'docs', CHARTS[name as keyof typeof CHARTS]);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${await svg}\n`);
  }
  const path = join(ROOT, 'docs/benchmarks.md');
  const options = (await resolveConfig(path)) ?? {};
  // proseWrap 'always' re-wraps the paragraphs that interpolated figures made uneven; the result also
  // passes the repository's own check (proseWrap 'preserve').
  const markdown = await format(benchmarksMarkdown(results), {
    ...options,
    parser: 'markdown',
    proseWrap: 'always',
  });
  writeFileSync(path, markdown);
  return path;
}
