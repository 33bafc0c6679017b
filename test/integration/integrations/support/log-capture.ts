import pino, { type Logger } from 'pino';

/** One JSON log line as pino wrote it. */
export type LogLine = Record<string, unknown> & { level: number; msg?: string };

/**
 * A pino logger that keeps every line in memory, for assertions on what the app logged.
 *
 * @example
 * ```ts
 * const logs = captureLogs();
 * const app = await createApp(AppModule, { logger: logs.logger });
 * expect(logs.lines.filter((l) => l.level >= 50)).toHaveLength(1);
 * ```
 */
export function captureLogs(level: pino.Level = 'debug'): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino({ level }, { write: (line: string) => lines.push(JSON.parse(line) as LogLine) });
  return { logger, lines };
}
