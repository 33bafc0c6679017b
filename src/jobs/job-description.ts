import type { JobDefinition } from './job-definition';

/** A job as `routemq routes` shows it. */
export interface JobDescription {
  readonly job: string;
  readonly queue: string;
  readonly attempts: number;
  readonly backoff: string;
  readonly concurrency: number;
  readonly timeoutMs?: number;
  /** `cron 0 3 * * *` or `every 60000 ms`. */
  readonly repeat?: string;
  readonly dto?: string;
}

/**
 * The jobs of an app as people read them.
 *
 * @example
 * ```ts
 * describeJobs(defineJobs(flat.jobs)); // [{ job: 'SendMail', queue: 'emails', attempts: 5, ... }]
 * ```
 */
export function describeJobs(definitions: readonly JobDefinition[]): JobDescription[] {
  return definitions.map((d) => ({
    job: d.name,
    queue: d.queue,
    attempts: d.attempts,
    backoff: `${d.backoff.type} ${d.backoff.delayMs} ms`,
    concurrency: d.concurrency,
    ...(d.timeoutMs !== undefined && { timeoutMs: d.timeoutMs }),
    ...(d.repeat && {
      repeat: d.repeat.cron !== undefined ? `cron ${d.repeat.cron}` : `every ${d.repeat.everyMs} ms`,
    }),
    ...(d.dataType && { dto: d.dataType.name }),
  }));
}

/** The jobs section of `routemq routes`. */
export function formatJobTable(jobs: readonly JobDescription[]): string[] {
  if (jobs.length === 0) return [];
  const header = ['JOB', 'QUEUE', 'ATTEMPTS', 'BACKOFF', 'CONCURRENCY', 'TIMEOUT', 'REPEAT'];
  const rows = jobs.map((j) => [
    j.job + (j.dto ? ` (${j.dto})` : ''),
    j.queue,
    String(j.attempts),
    j.backoff,
    String(j.concurrency),
    j.timeoutMs !== undefined ? `${j.timeoutMs} ms` : '-',
    j.repeat ?? '-',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return ['', 'Jobs:', line(header), ...rows.map(line)];
}
