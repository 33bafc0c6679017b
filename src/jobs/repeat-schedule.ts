import type { JobRepeat } from './job-options';

/**
 * Milliseconds from `now` until the next run of a repeatable job (the in-process driver's scheduler;
 * BullMQ computes the same with the same cron-parser).
 *
 * @example
 * ```ts
 * nextRunDelay({ everyMs: 60_000 }, Date.now()); // 60000
 * ```
 */
export function nextRunDelay(repeat: JobRepeat, now: number): number {
  if (repeat.everyMs !== undefined) return repeat.everyMs;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only for cron jobs
  const { CronExpressionParser } = require('cron-parser') as typeof import('cron-parser');
  const next = CronExpressionParser.parse(repeat.cron ?? '', { currentDate: new Date(now), tz: repeat.tz })
    .next()
    .getTime();
  return Math.max(1, next - now);
}
