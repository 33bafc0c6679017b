/**
 * Re-recording the baseline: the file, and the table of it that docs/benchmarks.md shows.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResults } from '../report/results';
import { writeDocs } from '../report/write';
import type { Baseline } from './baseline';
import type { RunSize } from './callgrind';
import { ROOT } from './paths';
import type { Counts } from './report';

export function baselineOf(counts: Counts, size: RunSize): Baseline {
  return {
    recorded: new Date().toISOString().slice(0, 10),
    commit: git(['rev-parse', '--short', 'HEAD']),
    node: process.version,
    valgrind: execFileSync('valgrind', ['--version'], { encoding: 'utf8' }).trim(),
    messages: size.messages,
    warmUp: size.warmUp,
    perMessage: Object.fromEntries(Object.entries(counts).map(([key, value]) => [key, Math.round(value)])),
  };
}

function git(args: readonly string[]): string {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/**
 * Rewrites docs/benchmarks.md from the last full run (bench/results/latest.json) and the new baseline:
 * the page is generated, and its instruction section reads the baseline.
 */
export async function writeBaselineDocs(): Promise<string> {
  const results = JSON.parse(readFileSync(join(ROOT, 'bench/results/latest.json'), 'utf8')) as BenchResults;
  return writeDocs(results);
}
