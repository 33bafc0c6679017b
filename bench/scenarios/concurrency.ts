/**
 * The 5 ms-handler case of the reliability issue: a QoS 1 route whose handler awaits 5 ms, with
 * concurrency 16 in one process, against the same route processed serially (concurrency 1).
 * @module
 */
import type { LoadGenerator } from '../lib/load';
import { measure, type Sample, type Timing } from '../lib/measure';
import { SubjectProcess } from '../lib/subject-process';

export const HANDLER_MS = 5;
export const CONCURRENCY = 16;

export interface ConcurrencySamples {
  readonly concurrent: Sample[];
  readonly serial: Sample[];
}

export async function concurrencyScenario(
  generator: LoadGenerator,
  url: string,
  rounds: number,
  timing: Timing,
): Promise<ConcurrencySamples> {
  const variants = [
    { key: 'concurrent', concurrency: CONCURRENCY, prefix: 'bench/e' },
    { key: 'serial', concurrency: 1, prefix: 'bench/f' },
  ] as const;
  const subjects = await Promise.all(
    variants.map((variant) =>
      SubjectProcess.start({ implementation: 'routemq', url, qos: 1, handlerMs: HANDLER_MS, ...variant }),
    ),
  );
  const samples: ConcurrencySamples = { concurrent: [], serial: [] };
  try {
    for (let round = 0; round < rounds; round++) {
      for (const [i, variant] of variants.entries()) {
        // A window of a few times the concurrency keeps the route busy without a long drain.
        const window = 4 * variant.concurrency + 8;
        const start = () => generator.saturate(subjects[i], variant.prefix, 1, window);
        const sample = await measure(subjects[i], start, timing);
        samples[variant.key].push(sample);
        console.log(
          `  concurrency round ${round + 1}/${rounds} concurrency ${String(variant.concurrency).padStart(2)}: ` +
            `${Math.round(sample.rate).toLocaleString('en-US')} msg/s` +
            (sample.lost + sample.extra > 0 ? ` LOST ${sample.lost}, EXTRA ${sample.extra}` : ''),
        );
      }
    }
  } finally {
    await Promise.all(subjects.map((subject) => subject.stop()));
  }
  return samples;
}
