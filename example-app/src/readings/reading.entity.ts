import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One sensor reading, a row of `readings`. The same table is created by the CreateReadings
 * migration (PostgreSQL, where synchronize is off) and by synchronize (SQLite in development): keep
 * the two in step.
 */
@Entity('readings')
@Index('IDX_readings_device_time', ['device_id', 'received_at'])
export class Reading {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 128 })
  device_id!: string;

  @Column({ type: 'double precision' })
  temperature!: number;

  @Column({ type: 'double precision', nullable: true })
  humidity!: number | null;

  /** `datetime` on SQLite, `timestamp` on PostgreSQL (TypeORM's mapping of Date). */
  @Column()
  received_at!: Date;
}
