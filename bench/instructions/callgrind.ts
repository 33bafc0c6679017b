/**
 * Runs one subject process under `valgrind --tool=callgrind` and reads its instruction counts.
 *
 * What makes the count repeat: V8 runs deterministically (`--predictable` keeps every compile and GC
 * task on the main thread; fixed hash and random seeds), the input is the same bytes in the same
 * chunks, every measured run starts after a full GC, and counting covers only the two measured runs
 * (callgrind starts with counting off; the runner switches it on once the subject is warm, and the
 * subject's `os.loadavg()` calls dump the counters at the region borders).
 * @module
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SubjectSpec } from './subjects';

/**
 * Node.js flags of every subject: V8 deterministic (see above), and a fixed 1 MiB nursery. V8 grows
 * the nursery with the survival rate, up to 16 MiB; fixed and small, it is collected every few dozen
 * messages, so that each run holds many scavenges and a subject's garbage costs it in proportion.
 */
export const V8_FLAGS = [
  '--predictable',
  '--hash-seed=1',
  '--random-seed=1',
  '--expose-gc',
  '--max-semi-space-size=1',
] as const;

const SUBJECT_MAIN = join(__dirname, 'subject-main.js');
const MARK_FUNCTION = 'node::os::GetLoadAvg*';

export interface RunSize {
  /** Messages before counting starts (JIT warm-up). */
  readonly warmUp: number;
  /** Messages of the short measured run; the long one has twice as many. */
  readonly messages: number;
}

export interface Measurement {
  readonly instructionsPerMessage: number;
  /** Instructions of the short and the long run. */
  readonly short: number;
  readonly long: number;
  /** The dump of the long run, for a profile of where its instructions went. */
  readonly longDump: string;
}

/** Measures one subject; callgrind's files go to `outDir`. */
export async function measureSubject(spec: SubjectSpec, size: RunSize, outDir: string): Promise<Measurement> {
  const stem = join(outDir, `${spec.mode}-${spec.name}-qos${spec.qos}`);
  const args = [
    '--tool=callgrind',
    '--instr-atstart=no',
    `--callgrind-out-file=${stem}.%p`,
    `--dump-before=${MARK_FUNCTION}`,
    `--log-file=${stem}.valgrind.log`,
    process.execPath,
    ...V8_FLAGS,
    SUBJECT_MAIN,
    spec.name,
    spec.mode,
    String(spec.qos),
    String(size.warmUp),
    String(size.messages),
  ];
  const pid = await runCounted(args, `${spec.mode} ${spec.name} QoS ${spec.qos}`);
  const dumps = [1, 2, 3, 4].map((n) => `${stem}.${pid}.${n}`);
  const missing = dumps.filter((file) => !existsSync(file));
  if (missing.length > 0)
    throw new Error(`callgrind wrote no ${missing.join(', ')} (see ${stem}.valgrind.log)`);
  const short = instructionsOf(dumps[1]);
  const long = instructionsOf(dumps[3]);
  return { instructionsPerMessage: (long - short) / size.messages, short, long, longDump: dumps[3] };
}

/** Starts valgrind, switches counting on at READY, says go, and resolves with the pid at exit 0. */
function runCounted(args: readonly string[], label: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('valgrind', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let errors = '';
    child.stderr.on('data', (data: Buffer) => (errors += data.toString()));
    child.stdout.on('data', (data: Buffer) => {
      output += data.toString();
      if (!output.includes('READY\n') || child.pid === undefined) return;
      output = output.replace('READY\n', '');
      if (process.env.BENCH_TRACE === '1')
        console.error(`${label}: ready after ${Math.round(process.uptime())} s`);
      startCounting(child.pid).then(
        () => child.stdin.write('go\n'),
        (error: unknown) => {
          child.kill();
          reject(error as Error);
        },
      );
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0 && child.pid !== undefined) resolve(child.pid);
      else reject(new Error(`${label}: the subject exited with ${code}\n${errors}${output}`));
    });
  });
}

async function startCounting(pid: number): Promise<void> {
  await promisify(execFile)('callgrind_control', ['--instr=on', String(pid)]);
}

/** The total instruction count of one callgrind dump (its `summary:` line). */
export function instructionsOf(dump: string): number {
  const match = /^summary:\s+(\d+)/m.exec(readFileSync(dump, 'utf8'));
  if (!match) throw new Error(`${dump}: no summary line`);
  return Number(match[1]);
}
