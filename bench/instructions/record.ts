/**
 * Re-recording the baseline: the file, and the table of it that docs/benchmarks.md shows.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Baseline } from './baseline';
import type { RunSize } from './callgrind';
import type { Counts } from './report';

const ROOT = join(__dirname, '../../..');
export const BASELINE_PATH = join(ROOT, 'bench/instructions/baseline.json');

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

/** Placeholder until the docs page reads the baseline (bench/report). */
export async function writeBaselineDocs(): Promise<string> {
  return 'not rewritten';
}
