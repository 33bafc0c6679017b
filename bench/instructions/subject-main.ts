/**
 * One subject process of the instruction benchmark, run under callgrind by callgrind.ts:
 * `node <V8 flags> subject-main.js <name> <stream|inprocess> <qos> <warm-up> <messages>`.
 *
 * It builds the subject and warms it up while callgrind does not count (`--instr-atstart=no`), says
 * READY and waits for `go` on stdin (the runner switched counting on in between). Then two measured
 * runs, of `messages` and of twice as many, each after a full garbage collection and between two calls
 * of `os.loadavg()`, where callgrind dumps its counters (`--dump-before`). The difference of the two
 * runs divided by `messages` is the cost per message, without any fixed cost of a run.
 * @module
 */
import { readSync } from 'node:fs';
import os from 'node:os';
import { buildSubject, type SubjectSpec } from './subjects';
import { sink } from './sink';

/** The call that marks a region: callgrind dumps its counters when the process enters it. */
const mark = (): void => void os.loadavg();

async function main(): Promise<void> {
  const [name, mode, qos, warmUp, messages] = process.argv.slice(2);
  const spec: SubjectSpec = {
    name,
    mode: mode === 'inprocess' ? 'inprocess' : 'stream',
    qos: qos === '1' ? 1 : 0,
    title: name,
  };
  const n = Number(messages);
  const prepare = await buildSubject(spec);
  let seq = 0;
  const warm = async (count: number): Promise<void> => {
    for (let done = 0; done < count; done += n) {
      const run = prepare(seq, n);
      await run.run();
      run.check();
      seq += n;
    }
  };
  // Half the warm-up, a full collection (it empties the old generation of boot garbage, so that no
  // mark-compact falls into a measured run, and it drops optimized code), then the other half, which
  // optimizes the hot code again.
  await warm(Number(warmUp) / 2);
  collectGarbage('major');
  await warm(Number(warmUp) / 2);
  const short = prepare(seq, n);
  const long = prepare(seq + n, 2 * n);
  ready();
  collectGarbage();
  mark();
  await short.run();
  mark();
  short.check();
  collectGarbage();
  mark();
  await long.run();
  mark();
  long.check();
  process.stdout.write(`${JSON.stringify({ handled: sink.count, hot: sink.hot })}\n`);
  process.exit(0);
}

/**
 * Says READY and blocks on stdin until `go` (the runner switched counting on in between: vgdb reaches
 * a process blocked in a system call). Blocking, not polling: a polling loop would allocate for as long
 * as the runner takes, and the heap would differ from one run to the next.
 */
function ready(): void {
  if (process.env.BENCH_NO_WAIT === '1') return;
  process.stdout.write('READY\n');
  const buffer = Buffer.alloc(16);
  while (!buffer.toString('utf8').includes('go')) readSync(0, buffer, 0, buffer.length, null);
}

/**
 * Before a measured run, a young-generation collection: each run starts with an empty nursery, so
 * that scavenges fall at the same points of every run. Not a full one: V8 then drops optimized code,
 * and the run would recompile it.
 */
function collectGarbage(type: 'minor' | 'major' = 'minor'): void {
  const gc = (globalThis as { gc?: (options: { type: 'minor' | 'major' }) => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  gc({ type });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
