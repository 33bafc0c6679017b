/**
 * What a scenario is and what it reports. Correctness checks fail the run; throughput targets are
 * printed PASS/FAIL and fail the run only under `--check` (run.ts explains why).
 * @module
 */

/** A correctness check: loss, dead-letter counts, crashes, disconnects... */
export interface Check {
  readonly name: string;
  readonly pass: boolean;
  /** What was measured, in words with the number. */
  readonly detail: string;
}

/** A performance target: a measured figure against a threshold. */
export interface Target {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** e.g. `>= 2000`. */
  readonly threshold: string;
  readonly pass: boolean;
}

/** Everything one scenario measured. */
export interface ScenarioResult {
  readonly id: string;
  readonly title: string;
  readonly durationMs: number;
  /** The measured figures, flat, for the JSON file and the table. */
  readonly figures: Readonly<Record<string, number | string | boolean>>;
  readonly checks: readonly Check[];
  readonly targets: readonly Target[];
  /** The key figures in one line, for the tables. */
  readonly summary: string;
  /** Set when the scenario could not run to its end. */
  readonly error?: string;
}

/** What the runner gives a scenario. */
export interface ScenarioContext {
  /** Unique per suite run; part of every client id and Redis key. */
  readonly runId: string;
  /** The oracle's Redis (the durable record of processing). */
  readonly redisUrl: string;
  /** A scratch directory (the apps' working directory). */
  readonly workDir: string;
  /** Prints one progress line, prefixed with the scenario id. */
  readonly log: (line: string) => void;
}

/** The body of a scenario: it fills figures, checks and targets. */
export interface ScenarioReport {
  /** The key figures in one line, for the tables. */
  summary: string;
  figures: Record<string, number | string | boolean>;
  checks: Check[];
  targets: Target[];
}

export interface Scenario {
  readonly id: string;
  readonly title: string;
  run(ctx: ScenarioContext): Promise<ScenarioReport>;
}

/** A check from a condition. */
export function check(name: string, pass: boolean, detail: string): Check {
  return { name, pass, detail };
}

/** A ">= threshold" target. */
export function atLeast(name: string, value: number, min: number, unit: string): Target {
  return { name, value, unit, threshold: `>= ${min}`, pass: value >= min };
}

/** ` (e.g. a, b, c)` for a few ids, or nothing. */
export function sample(ids: readonly string[]): string {
  return ids.length > 0 ? ` (e.g. ${ids.join(', ')})` : '';
}
