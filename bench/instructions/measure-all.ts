/**
 * Measures a list of subjects, a few at a time (each is its own callgrind process, and callgrind runs
 * one thread: `jobs` processes use `jobs` cores). Counts do not depend on how many run at once.
 * @module
 */
import { measureSubject, type RunSize } from './callgrind';
import { keyOf } from './catalog';
import { topFunctions } from './profile';
import type { Counts } from './report';
import type { SubjectSpec } from './subjects';

export interface RunOptions {
  readonly size: RunSize;
  readonly jobs: number;
  readonly outDir: string;
  /** Functions to list per subject (0: no profile). */
  readonly profile: number;
}

export async function measureAll(specs: readonly SubjectSpec[], options: RunOptions): Promise<Counts> {
  const counts: Record<string, number> = {};
  const queue = [...specs];
  const started = Date.now();
  let done = 0;
  const worker = async (): Promise<void> => {
    for (let spec = queue.shift(); spec !== undefined; spec = queue.shift()) {
      const measured = await measureSubject(spec, options.size, options.outDir);
      counts[keyOf(spec)] = measured.instructionsPerMessage;
      done++;
      const seconds = Math.round((Date.now() - started) / 1000);
      console.log(
        `[${done}/${specs.length}, ${seconds} s] ${keyOf(spec)}: ${Math.round(measured.instructionsPerMessage).toLocaleString('en-US')} instructions/msg`,
      );
      if (options.profile > 0) await printProfile(keyOf(spec), measured.longDump, options.profile);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.jobs) }, worker));
  // In catalog order, whatever order they finished in.
  return Object.fromEntries(specs.map((spec) => [keyOf(spec), counts[keyOf(spec)]]));
}

async function printProfile(key: string, dump: string, count: number): Promise<void> {
  const lines = await topFunctions(dump, count);
  console.log(`  top functions of ${key} (long run, self instructions):`);
  for (const line of lines) {
    console.log(`  ${(100 * line.share).toFixed(1).padStart(5)} %  ${line.name}`);
  }
}
