import type { Registry } from 'prom-client';
type PromClient = typeof import('prom-client');

/** Counts stored dead letters per route (the store's `countByRoute`). */
export type StoredDeadLetterCounts = () => Promise<Record<string, number>>;

/**
 * `routemq_dead_letters_stored{route}`: dead letters kept in the store, read from it at scrape time (a
 * failing store leaves the last values and is not fatal to the scrape).
 *
 * @example
 * ```ts
 * defineStoredDeadLettersGauge(prom, registry, () => counts);
 * ```
 */
export function defineStoredDeadLettersGauge(
  prom: PromClient,
  registry: Registry,
  counts: () => StoredDeadLetterCounts | undefined,
): void {
  new prom.Gauge({
    name: 'routemq_dead_letters_stored',
    help: 'Dead letters kept in the dead-letter store, per route (routemq dead-letters list shows them).',
    labelNames: ['route'],
    registers: [registry],
    async collect() {
      const read = counts();
      if (!read) return;
      try {
        const byRoute = await read();
        this.reset();
        for (const [route, count] of Object.entries(byRoute)) this.set({ route }, count);
      } catch {
        // The store is unavailable right now: keep the last values rather than fail /metrics.
      }
    },
  });
}
