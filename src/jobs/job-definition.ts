import { ConfigError } from '../errors';
import type { Class } from '../metadata/types';
import { jobOptionsOf, type JobClass } from './job-decorator';
import type { JobBackoff, JobRepeat } from './job-options';

/** A job class with its options resolved (defaults applied, checked). */
export interface JobDefinition {
  readonly jobClass: JobClass;
  readonly name: string;
  readonly queue: string;
  readonly attempts: number;
  readonly backoff: JobBackoff;
  readonly concurrency: number;
  readonly timeoutMs?: number;
  readonly repeat?: JobRepeat;
  readonly dataType?: Class;
}

export const DEFAULT_QUEUE = 'default';
const DEFAULT_BACKOFF: JobBackoff = { type: 'exponential', delayMs: 1000 };
// BullMQ keeps its keys as `<prefix>:<queue>:...`: a `:` in a queue name would split it.
const QUEUE_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/**
 * Resolves and checks the jobs of a module graph; throws one ConfigError naming every bad job.
 *
 * @example
 * ```ts
 * const definitions = defineJobs([SendMail, NotifyOperators]);
 * ```
 */
export function defineJobs(classes: readonly unknown[]): JobDefinition[] {
  const problems: string[] = [];
  const definitions: JobDefinition[] = [];
  const names = new Map<string, string>();
  for (const [i, candidate] of classes.entries()) {
    const where = `jobs[${i}]${typeof candidate === 'function' && candidate.name ? ` (${candidate.name})` : ''}`;
    const found = defineOne(candidate, where, problems);
    if (!found) continue;
    if (definitions.some((d) => d.jobClass === found.jobClass)) continue;
    const other = names.get(found.name);
    if (other) {
      problems.push(`${where}: the job name ${found.name} is also used by ${other}; give one @Job({ name })`);
      continue;
    }
    names.set(found.name, where);
    definitions.push(found);
  }
  if (problems.length > 0) throw new ConfigError('ERR_JOB_INVALID', problems, 'Invalid jobs');
  return definitions;
}

function defineOne(candidate: unknown, where: string, problems: string[]): JobDefinition | undefined {
  const options = typeof candidate === 'function' ? jobOptionsOf(candidate) : undefined;
  if (typeof candidate !== 'function' || !options) {
    problems.push(`${where}: not a @Job class. Decorate it with @Job({ queue: '...' }).`);
    return undefined;
  }
  const jobClass = candidate as JobClass;
  const count = problems.length;
  if (typeof (jobClass.prototype as { handle?: unknown }).handle !== 'function') {
    problems.push(`${where}: has no handle(data, job) method; the worker calls it for each job.`);
  }
  const queue = options.queue ?? DEFAULT_QUEUE;
  if (!QUEUE_NAME.test(queue)) {
    problems.push(`${where}: queue ${JSON.stringify(queue)} must be 1-100 letters, digits, _ . or -.`);
  }
  const name = options.name ?? jobClass.name;
  if (!name) problems.push(`${where}: an anonymous class needs @Job({ name }).`);
  checkWhole(options.attempts, 1, 1000, `${where}: attempts`, problems);
  checkWhole(options.concurrency, 1, 10_000, `${where}: concurrency`, problems);
  checkWhole(options.timeoutMs, 1, 2_147_483_647, `${where}: timeoutMs`, problems);
  checkBackoff(options.backoff, where, problems);
  checkRepeat(options.repeat, where, problems);
  if (options.data !== undefined && typeof options.data !== 'function') {
    problems.push(`${where}: data must be a class-validator DTO class.`);
  }
  if (problems.length > count) return undefined;
  return {
    jobClass,
    name,
    queue,
    attempts: options.attempts ?? 3,
    backoff: options.backoff ?? DEFAULT_BACKOFF,
    concurrency: options.concurrency ?? 1,
    timeoutMs: options.timeoutMs,
    repeat: options.repeat,
    dataType: options.data,
  };
}

function checkWhole(value: unknown, min: number, max: number, what: string, problems: string[]): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    problems.push(`${what} is ${JSON.stringify(value)}; use a whole number from ${min} to ${max}.`);
  }
}

function checkBackoff(backoff: JobBackoff | undefined, where: string, problems: string[]): void {
  if (backoff === undefined) return;
  if (backoff.type !== 'fixed' && backoff.type !== 'exponential') {
    problems.push(`${where}: backoff.type must be 'fixed' or 'exponential'.`);
  }
  checkWhole(backoff.delayMs, 0, 2_147_483_647, `${where}: backoff.delayMs`, problems);
}

function checkRepeat(repeat: JobRepeat | undefined, where: string, problems: string[]): void {
  if (repeat === undefined) return;
  const kinds = [repeat.cron, repeat.everyMs].filter((v) => v !== undefined).length;
  if (kinds !== 1) {
    problems.push(`${where}: repeat needs exactly one of cron or everyMs.`);
    return;
  }
  checkWhole(repeat.everyMs, 1, 2_147_483_647, `${where}: repeat.everyMs`, problems);
  if (repeat.cron !== undefined) {
    const problem = cronProblem(repeat.cron, repeat.tz);
    if (problem) problems.push(`${where}: repeat.cron ${JSON.stringify(repeat.cron)} ${problem}`);
  }
}

function cronProblem(pattern: string, tz: string | undefined): string | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- cron-parser loads only for repeatable jobs
    const { CronExpressionParser } = require('cron-parser') as typeof import('cron-parser');
    CronExpressionParser.parse(pattern, { tz });
    return undefined;
  } catch (error) {
    return `is not a cron pattern (${error instanceof Error ? error.message : String(error)}).`;
  }
}
