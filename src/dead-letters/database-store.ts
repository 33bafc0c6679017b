import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { DeadLetter } from '../pipeline/dead-letter';
import type { DeadLetterFilter, DeadLetterRecord } from './dead-letter-record';
import type { DeadLetterStore } from './dead-letter-store';
import { DEAD_LETTER_TABLE } from './dead-letter-migration';

interface Row {
  id: string;
  letter: string;
  replay_count: number | string;
  replayed_at: string | null;
}

/**
 * Dead letters in the app's database, table `routemq_dead_letters` (made by the migration the
 * framework ships). Works on every database TypeORM's query builder speaks: SQLite, PostgreSQL, MySQL.
 *
 * @example
 * ```ts
 * const store = new DatabaseDeadLetterStore(dataSource, 'PostgreSQL');
 * const records = await store.list({ code: 'ERR_VALIDATION_FAILED', limit: 20 });
 * ```
 */
export class DatabaseDeadLetterStore implements DeadLetterStore {
  readonly kind = 'database';
  readonly description: string;

  constructor(
    private readonly db: DataSource,
    where: string,
  ) {
    this.description = `table ${DEAD_LETTER_TABLE} in ${where}`;
  }

  async add(letter: DeadLetter): Promise<string> {
    const id = randomUUID();
    await this.db
      .createQueryBuilder()
      .insert()
      .into(DEAD_LETTER_TABLE, ['id', 'failed_at', 'route', 'code', 'topic', 'letter', 'replay_count'])
      .values({
        id,
        failed_at: letter.failedAt,
        route: letter.route,
        code: letter.error.code ?? null,
        topic: letter.topic,
        letter: JSON.stringify(letter),
        replay_count: 0,
      })
      .execute();
    return id;
  }

  async list(filter: DeadLetterFilter = {}): Promise<DeadLetterRecord[]> {
    const query = this.db.createQueryBuilder().select('*').from(DEAD_LETTER_TABLE, 'd');
    if (filter.route !== undefined) query.andWhere('d.route = :route', { route: filter.route });
    if (filter.code !== undefined) query.andWhere('d.code = :code', { code: filter.code });
    if (filter.since) query.andWhere('d.failed_at >= :since', { since: filter.since.toISOString() });
    if (filter.before) query.andWhere('d.failed_at < :before', { before: filter.before.toISOString() });
    query.orderBy('d.failed_at', 'DESC');
    if (filter.limit !== undefined) query.limit(filter.limit);
    return recordsOf(await query.getRawMany<Row>());
  }

  async get(id: string): Promise<DeadLetterRecord | undefined> {
    const rows = await this.db
      .createQueryBuilder()
      .select('*')
      .from(DEAD_LETTER_TABLE, 'd')
      .where('d.id = :id', { id })
      .getRawMany<Row>();
    return recordsOf(rows)[0];
  }

  async markReplayed(id: string, at: Date): Promise<void> {
    await this.db
      .createQueryBuilder()
      .update(DEAD_LETTER_TABLE)
      .set({ replay_count: () => 'replay_count + 1', replayed_at: at.toISOString() })
      .where('id = :id', { id })
      .execute();
  }

  async remove(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const existing = await this.#count('id IN (:...ids)', { ids: [...ids] });
    await this.db
      .createQueryBuilder()
      .delete()
      .from(DEAD_LETTER_TABLE)
      .where('id IN (:...ids)', { ids: [...ids] })
      .execute();
    return existing;
  }

  async purgeBefore(cutoff: Date): Promise<number> {
    const before = cutoff.toISOString();
    const existing = await this.#count('failed_at < :before', { before });
    if (existing === 0) return 0;
    await this.db
      .createQueryBuilder()
      .delete()
      .from(DEAD_LETTER_TABLE)
      .where('failed_at < :before', { before })
      .execute();
    return existing;
  }

  async countByRoute(): Promise<Record<string, number>> {
    const rows = await this.db
      .createQueryBuilder()
      .select('d.route', 'route')
      .addSelect('COUNT(*)', 'count')
      .from(DEAD_LETTER_TABLE, 'd')
      .groupBy('d.route')
      .getRawMany<{ route: string; count: number | string }>();
    return Object.fromEntries(rows.map((row) => [row.route, Number(row.count)]));
  }

  async close(): Promise<void> {}

  async #count(where: string, parameters: Record<string, unknown>): Promise<number> {
    const row = await this.db
      .createQueryBuilder()
      .select('COUNT(*)', 'count')
      .from(DEAD_LETTER_TABLE, 'd')
      .where(where, parameters)
      .getRawOne<{ count: number | string }>();
    return Number(row?.count ?? 0);
  }
}

function recordsOf(rows: readonly Row[]): DeadLetterRecord[] {
  const records: DeadLetterRecord[] = [];
  for (const row of rows) {
    try {
      const letter = JSON.parse(row.letter) as DeadLetter;
      records.push({
        ...letter,
        id: row.id,
        replayCount: Number(row.replay_count),
        ...(row.replayed_at !== null && { replayedAt: row.replayed_at }),
      });
    } catch {
      // A row edited by hand into invalid JSON is skipped, not fatal.
    }
  }
  return records;
}
