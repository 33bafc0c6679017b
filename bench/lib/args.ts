/**
 * Command-line options of `npm run bench` and the run plan they give.
 * @module
 */
import { parseArgs } from 'node:util';
import type { Timing } from './measure';

export const SCENARIOS = ['throughput', 'paced', 'concurrency', 'lookup'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface Plan {
  readonly quick: boolean;
  readonly check: boolean;
  readonly rounds: number;
  readonly timing: Timing;
  /** Paced rate of the CPU and latency scenario, messages per second. */
  readonly pacedRate: number;
  /** Saturated scenarios: most messages published and not yet handled. */
  readonly saturationWindow: number;
  /** ms spent per lookup measurement (implementation and route count). */
  readonly lookupBudgetMs: number;
  readonly scenarios: readonly ScenarioName[];
  /** Write docs/benchmarks.md and its charts (a full run of every scenario does, unless --no-docs). */
  readonly writeDocs: boolean;
  readonly profileDir?: string;
  /** Extra Node.js flags for every subject process (e.g. --trace-gc). */
  readonly nodeOptions: readonly string[];
}

export const USAGE = `npm run bench -- [options]
  --quick          a smoke run (2 short rounds, about a minute); writes bench/results/quick.json only
  --check          exit non-zero when a target FAILs
  --rounds N       rounds of the side-by-side scenarios (default 5; --quick 2)
  --window MS      measured window per implementation and round (default 1500; --quick 1000)
  --only LIST      comma-separated scenarios: ${SCENARIOS.join(',')} (results go to partial.json)
  --no-docs        do not rewrite docs/benchmarks.md and its charts
  --profile DIR    run the subjects with --cpu-prof, profiles written to DIR
  --node-options=S  extra Node.js flags for the subject processes, e.g. --node-options=--trace-gc
  --help`;

export function readPlan(argv: readonly string[]): Plan | undefined {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      check: { type: 'boolean', default: false },
      rounds: { type: 'string' },
      window: { type: 'string' },
      only: { type: 'string' },
      'no-docs': { type: 'boolean', default: false },
      profile: { type: 'string' },
      'node-options': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return undefined;
  const quick = values.quick;
  const scenarios = values.only === undefined ? [...SCENARIOS] : values.only.split(',').map(scenarioName);
  const windowMs = positive('--window', values.window ?? (quick ? '1000' : '1500'));
  return {
    quick,
    check: values.check,
    rounds: positive('--rounds', values.rounds ?? (quick ? '2' : '5')),
    timing: { warmupMs: quick ? 500 : 750, windowMs },
    pacedRate: 20_000,
    saturationWindow: 4000,
    lookupBudgetMs: quick ? 150 : 600,
    scenarios,
    writeDocs: !quick && !values['no-docs'] && scenarios.length === SCENARIOS.length,
    profileDir: values.profile,
    nodeOptions: values['node-options']?.split(' ').filter((flag) => flag !== '') ?? [],
  };
}

function scenarioName(text: string): ScenarioName {
  const name = SCENARIOS.find((s) => s === text.trim());
  if (name === undefined)
    throw new Error(`--only: unknown scenario ${JSON.stringify(text)}; use ${SCENARIOS.join(', ')}`);
  return name;
}

function positive(option: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${option} must be a positive integer, not ${text}`);
  return value;
}
