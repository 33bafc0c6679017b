import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** The table the database dead-letter store writes (docs/reliability.md "Dead letters"). */
export const DEAD_LETTER_TABLE = 'routemq_dead_letters';

/**
 * Creates `routemq_dead_letters`. Shipped with the framework and run by `app.start()` with the app's
 * own migrations (never by synchronize), so production schemas stay under migration control; it is
 * idempotent, so an app that made the table otherwise starts too.
 *
 * @example
 * ```ts
 * new DataSource({ type: 'postgres', url, migrations: [RouteMQDeadLetters1764806400000], migrationsRun: true });
 * ```
 */
export class RouteMQDeadLetters1764806400000 implements MigrationInterface {
  readonly name = 'RouteMQDeadLetters1764806400000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: DEAD_LETTER_TABLE,
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'failed_at', type: 'varchar', length: '32' },
          { name: 'route', type: 'varchar', length: '255' },
          { name: 'code', type: 'varchar', length: '64', isNullable: true },
          { name: 'topic', type: 'text' },
          { name: 'letter', type: 'text' },
          { name: 'replay_count', type: 'integer', default: 0 },
          { name: 'replayed_at', type: 'varchar', length: '32', isNullable: true },
        ],
      }),
      true,
    );
    const table = await runner.getTable(DEAD_LETTER_TABLE);
    const indexed = new Set(table?.indices.map((index) => index.name));
    for (const column of ['failed_at', 'route']) {
      const name = `IDX_${DEAD_LETTER_TABLE}_${column}`;
      if (!indexed.has(name)) {
        await runner.createIndex(DEAD_LETTER_TABLE, new TableIndex({ name, columnNames: [column] }));
      }
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable(DEAD_LETTER_TABLE, true);
  }
}
