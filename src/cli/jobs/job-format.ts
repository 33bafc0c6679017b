import type { StoredJob } from '../../jobs/job-driver';

/**
 * One line per job: id, queue, name, attempts, when it finished, and the first line of its error.
 *
 * @example
 * ```ts
 * io.out(formatJobList(await driver.failed('emails', 50)));
 * ```
 */
export function formatJobList(jobs: readonly StoredJob[]): string {
  if (jobs.length === 0) return 'no failed jobs';
  const rows = jobs
    .map((j) => [
      j.id,
      j.queue,
      j.name,
      String(j.attemptsMade),
      j.finishedAt ? new Date(j.finishedAt).toISOString() : '-',
      firstLine(j.failedReason ?? ''),
    ])
    .map((row) => row.map(printable));
  const header = ['ID', 'QUEUE', 'JOB', 'ATTEMPTS', 'FAILED AT', 'ERROR'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < cells.length - 1 ? c.padEnd(widths[i]) : c)).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

/** Every field of one job, its data as JSON and its error with the stack of the last attempt. */
export function formatJob(job: StoredJob): string {
  const lines = [
    `id:        ${job.id}`,
    `queue:     ${job.queue}`,
    `job:       ${job.name}`,
    `state:     ${job.state}`,
    `attempts:  ${job.attemptsMade}`,
    `created:   ${new Date(job.createdAt).toISOString()}`,
    `finished:  ${job.finishedAt ? new Date(job.finishedAt).toISOString() : '-'}`,
    `data:      ${JSON.stringify(job.data)}`,
  ];
  if (job.failedReason) lines.push(`error:     ${job.failedReason}`);
  const stack = job.stacktrace.at(-1);
  if (stack) lines.push('stack:', ...stack.split('\n').map((l) => `  ${l}`));
  return lines.map(printable).join('\n');
}

function firstLine(text: string): string {
  const line = text.split('\n')[0];
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}

// Job data and errors can hold text from outside publishers: no terminal escape sequences get through.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

function printable(text: string): string {
  return text.replace(CONTROL, '?');
}
