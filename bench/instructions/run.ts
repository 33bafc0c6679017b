/**
 * `npm run bench:instructions`: instructions per message of every subject under callgrind, the
 * tables, and the check against the committed baseline.
 *
 *   --check        measure the checked subjects (catalog.ts) and exit 1 when one grew more than 3 %
 *                  over bench/instructions/baseline.json
 *   --update       re-record the baseline (and its table in docs/benchmarks.md)
 *   --repeat       measure twice and report the difference between the two runs
 *   --profile N    the N functions with the most instructions, per subject
 *   --only KEYS    comma-separated subject keys (stream/route/qos0,...)
 *   --jobs N       subjects measured at once (default 2)
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { printTable } from '../report/tables';
import { compareWithBaseline, readBaseline, writeBaseline } from './baseline';
import { isChecked, keyOf, SUBJECTS } from './catalog';
import { measureAll, type RunOptions } from './measure-all';
import {
  attributionTable,
  checkTable,
  largestDifference,
  repeatTable,
  streamTable,
  type Counts,
} from './report';
import { BASELINE_PATH } from './paths';
import { baselineOf, writeBaselineDocs } from './record';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      check: { type: 'boolean', default: false },
      update: { type: 'boolean', default: false },
      repeat: { type: 'boolean', default: false },
      profile: { type: 'string' },
      only: { type: 'string' },
      jobs: { type: 'string', default: '2' },
      messages: { type: 'string', default: '2000' },
      'warm-up': { type: 'string', default: '20000' },
    },
  });
  const only = values.only?.split(',');
  const specs = SUBJECTS.filter((spec) =>
    only !== undefined ? only.includes(keyOf(spec)) : !values.check || values.update || isChecked(spec),
  );
  const outDir = mkdtempSync(join(tmpdir(), 'routemq-instructions-'));
  const options: RunOptions = {
    size: { warmUp: Number(values['warm-up']), messages: Number(values.messages) },
    jobs: Number(values.jobs),
    outDir,
    profile: values.profile === undefined ? 0 : Number(values.profile),
  };
  try {
    const counts = await measureAll(specs, options);
    printTable('Instructions per message, fed the same recorded stream', streamTable(counts));
    printTable(
      'Where the instructions go (QoS 0 in process, QoS 1 from the stream)',
      attributionTable(counts),
    );
    if (values.repeat) reportRepeat(counts, await measureAll(specs, { ...options, profile: 0 }));
    if (values.update) {
      writeBaseline(BASELINE_PATH, baselineOf(counts, options.size));
      console.log(`\nBaseline written to ${BASELINE_PATH}; docs/benchmarks.md: ${await writeBaselineDocs()}`);
    }
    if (values.check) return check(counts);
    return 0;
  } finally {
    if (options.profile === 0) rmSync(outDir, { recursive: true, force: true });
    else console.log(`\ncallgrind dumps kept in ${outDir}`);
  }
}

function reportRepeat(first: Counts, second: Counts): void {
  printTable('Repeatability: the same commit measured twice', repeatTable(first, second));
  console.log(`Largest difference: ${(100 * largestDifference(first, second)).toFixed(2)} %`);
}

function check(counts: Counts): number {
  const baseline = readBaseline(BASELINE_PATH);
  if (!baseline) {
    console.error(
      `\nNo baseline at ${BASELINE_PATH}: record one with npm run bench:instructions -- --update`,
    );
    return 1;
  }
  const lines = compareWithBaseline(baseline, counts);
  printTable(
    `Check against the baseline (${baseline.commit}, ${baseline.recorded}); fails above +3 %`,
    checkTable(lines),
  );
  const failed = lines.filter((line) => line.failed);
  if (failed.length === 0) return 0;
  console.error(
    `\n${failed.map((line) => line.key).join(', ')} grew more than 3 % over the baseline. Find the cause with ` +
      `--profile 20 --only <key>; if the growth is wanted, re-record: npm run bench:instructions -- --update.`,
  );
  return 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
