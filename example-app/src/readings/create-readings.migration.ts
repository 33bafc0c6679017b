import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Creates `readings` (see Reading). Run by `app.start()` because the module lists it in `migrations`;
 * `IF NOT EXISTS` semantics so a database that synchronize already built is left alone.
 */
export class CreateReadings1764000000000 implements MigrationInterface {
  name = 'CreateReadings1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    await queryRunner.createTable(
      new Table({
        name: 'readings',
        columns: [
          {
            name: 'id',
            type: 'integer',
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          { name: 'device_id', type: 'varchar', length: '128' },
          { name: 'temperature', type: 'double precision' },
          { name: 'humidity', type: 'double precision', isNullable: true },
          { name: 'received_at', type: postgres ? 'timestamp' : 'datetime' },
        ],
        indices: [{ name: 'IDX_readings_device_time', columnNames: ['device_id', 'received_at'] }],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('readings', true);
  }
}
