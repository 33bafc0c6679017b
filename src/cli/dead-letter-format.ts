import { formatColumns } from './text-table';
import type { DeadLetterRecord } from '../dead-letters/dead-letter-record';
import type { DeadLetterStats } from '../dead-letters/dead-letters';

const HEADERS = ['ID', 'FAILED AT', 'ROUTE', 'TOPIC', 'ERROR', 'ATTEMPTS', 'REPLAYS'] as const;

/**
 * Dead letters as `routemq dead-letters list` prints them, one row each, under the store's name.
 *
 * @example
 * ```ts
 * console.log(formatDeadLetterTable(await deadLetters.list(), deadLetters.description));
 * ```
 */
export function formatDeadLetterTable(records: readonly DeadLetterRecord[], store: string): string {
  if (records.length === 0) return `no dead letters in ${store}`;
  const rows = records.map((r) => [
    r.id,
    r.failedAt,
    r.route,
    truncate(r.topic, 48),
    r.error.code ?? r.error.name,
    String(r.attempts),
    String(r.replayCount),
  ]);
  return [`${records.length} dead letters in ${store}`, '', ...formatColumns(HEADERS, rows)].join('\n');
}

/** One dead letter whole, for `routemq dead-letters show`. */
export function formatDeadLetter(record: DeadLetterRecord): string {
  const lines = [
    `id          ${record.id}`,
    `failed at   ${record.failedAt} after ${record.attempts} attempt(s)`,
    `route       ${record.route} (${record.template})`,
    `topic       ${record.topic} (QoS ${record.qos})`,
    `error       ${record.error.code ?? record.error.name}: ${record.error.message}`,
    `replays     ${record.replayCount}${record.replayedAt ? `, last ${record.replayedAt}` : ''}`,
  ];
  if (record.properties) lines.push(`properties  ${JSON.stringify(record.properties)}`);
  lines.push(
    `payload     (${record.payloadEncoding})`,
    typeof record.payload === 'string' ? record.payload : '(not kept)',
  );
  return lines.join('\n');
}

/** Counts per route and per error code, for `routemq dead-letters stats`. */
export function formatStats(stats: DeadLetterStats): string {
  const section = (title: string, counts: Record<string, number>) => [
    title,
    ...Object.entries(counts)
      .sort((a, b) => b[1] - a[1])
      .map(([key, count]) => `  ${String(count).padStart(6)}  ${key}`),
  ];
  return [
    `${stats.total} dead letters in ${stats.store} (${stats.replayed} replayed)`,
    ...section('by route:', stats.byRoute),
    ...section('by error:', stats.byCode),
  ].join('\n');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
