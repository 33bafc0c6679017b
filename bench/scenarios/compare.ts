/**
 * The side-by-side comparison: the four implementations, each in its own process and on its own topic
 * prefix, measured in turn within each round (the order rotates from round to round), for several rounds.
 * @module
 */
import { IMPLEMENTATIONS, LABELS, type Implementation } from '../lib/protocol';
import type { LoadGenerator, RunningLoad } from '../lib/load';
import { measure, type Sample, type Timing } from '../lib/measure';
import { SubjectProcess } from '../lib/subject-process';

export type Load =
  { readonly kind: 'saturated'; readonly window: number } | { readonly kind: 'paced'; readonly rate: number };

export interface CompareOptions {
  readonly name: string;
  readonly url: string;
  readonly qos: 0 | 1;
  readonly load: Load;
  readonly rounds: number;
  readonly timing: Timing;
  readonly profileDir?: string;
  readonly nodeOptions?: readonly string[];
  /** Default: all four. */
  readonly implementations?: readonly Implementation[];
}

export type Samples = Record<Implementation, Sample[]>;

const PREFIX: Readonly<Record<Implementation, string>> = {
  bare: 'bench/a',
  routemq: 'bench/b',
  'routemq-dto': 'bench/c',
  nest: 'bench/d',
};

export async function compare(generator: LoadGenerator, options: CompareOptions): Promise<Samples> {
  const names = options.implementations ?? IMPLEMENTATIONS;
  const subjects = await startSubjects(options, names);
  const samples: Samples = { bare: [], routemq: [], 'routemq-dto': [], nest: [] };
  const measureOne = (implementation: Implementation, timing: Timing) => {
    const subject = subjects[implementation] as SubjectProcess;
    return measure(subject, () => startLoad(generator, subject, implementation, options), timing);
  };
  try {
    // One unmeasured pass first: the first window of a fresh process would measure the JIT too.
    console.log(`  ${options.name}: warming up ${names.length} processes`);
    const { warmupMs } = options.timing;
    for (const implementation of names) {
      const warm = await measureOne(implementation, { warmupMs, windowMs: warmupMs });
      if (warm.lost + warm.extra > 0) throw new Error(`warm-up: ${describe(implementation, warm)}`);
    }
    for (let round = 0; round < options.rounds; round++) {
      for (const implementation of rotated(round, names)) {
        const sample = await measureOne(implementation, options.timing);
        samples[implementation].push(sample);
        const label = `${options.name} round ${round + 1}/${options.rounds}`;
        console.log(`  ${label} ${describe(implementation, sample)}`);
      }
    }
  } finally {
    await Promise.all(Object.values(subjects).map((subject) => subject?.stop()));
  }
  return samples;
}

async function startSubjects(
  options: CompareOptions,
  names: readonly Implementation[],
): Promise<Partial<Record<Implementation, SubjectProcess>>> {
  const started = await Promise.all(
    names.map((implementation) =>
      SubjectProcess.start({
        implementation,
        url: options.url,
        qos: options.qos,
        prefix: PREFIX[implementation],
        handlerMs: 0,
        concurrency: 1,
        profileDir: options.profileDir,
        nodeOptions: options.nodeOptions,
      }),
    ),
  );
  return Object.fromEntries(names.map((name, i) => [name, started[i]]));
}

function startLoad(
  generator: LoadGenerator,
  subject: SubjectProcess,
  implementation: Implementation,
  options: CompareOptions,
): RunningLoad {
  const prefix = PREFIX[implementation];
  return options.load.kind === 'saturated'
    ? generator.saturate(subject, prefix, options.qos, options.load.window)
    : generator.pace(prefix, options.qos, options.load.rate);
}

/** a b c d, then b c d a...: no implementation always runs first or last in a round. */
function rotated(round: number, names: readonly Implementation[]): Implementation[] {
  const shift = round % names.length;
  return [...names.slice(shift), ...names.slice(0, shift)];
}

function describe(implementation: Implementation, sample: Sample): string {
  const parts = [
    `${LABELS[implementation]}:`.padEnd(22),
    `${Math.round(sample.rate).toLocaleString('en-US')} msg/s,`.padStart(15),
    `${sample.cpuMicrosPerMessage.toFixed(2)} µs CPU/msg`,
  ];
  if (sample.latency)
    parts.push(`p50 ${sample.latency.p50Ms.toFixed(3)} ms, p99 ${sample.latency.p99Ms.toFixed(3)} ms`);
  if (sample.lost + sample.extra > 0) parts.push(`LOST ${sample.lost}, EXTRA ${sample.extra}`);
  return parts.join(' ');
}
