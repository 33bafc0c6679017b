/**
 * The readings table every ingest subject writes to, on PostgreSQL (its own schema) or SQLite (a file
 * with the pragmas RouteMQ's SQLite integration uses), through the plain drivers (pg, better-sqlite3),
 * so that every subject pays the same database cost.
 * @module
 */
import Database from 'better-sqlite3';
import { Pool } from 'pg';

export type DatabaseKind = 'postgres' | 'sqlite';

/** One reading as the subjects store it. */
export interface Row {
  readonly device: string;
  readonly seq: number;
  readonly temperature: number;
}

export interface Store {
  insertOne(row: Row): Promise<void>;
  insertMany(rows: readonly Row[]): Promise<void>;
  count(): Promise<number>;
  close(): Promise<void>;
}

export const SCHEMA = 'bench_ingest';
const TABLE = `${SCHEMA}.readings`;

/** Where a subject's store lives: `postgres://...` or a SQLite file path. */
export function openStore(kind: DatabaseKind, target: string, connections = 1): Store {
  return kind === 'postgres' ? postgresStore(target, connections) : sqliteStore(target);
}

/** Creates the table empty (dropping a previous run's). */
export async function resetTable(kind: DatabaseKind, target: string): Promise<void> {
  const ddl = `CREATE TABLE ${kind === 'postgres' ? TABLE : 'readings'} (id ${
    kind === 'postgres' ? 'bigserial' : 'integer'
  } PRIMARY KEY, device varchar(64) NOT NULL, seq integer NOT NULL, temperature double precision NOT NULL)`;
  if (kind === 'postgres') {
    const pool = new Pool({ connectionString: target, max: 1 });
    try {
      await pool.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
      await pool.query(`DROP TABLE IF EXISTS ${TABLE}`);
      await pool.query(ddl);
    } finally {
      await pool.end();
    }
    return;
  }
  const db = new Database(target);
  db.pragma('journal_mode = WAL');
  db.exec('DROP TABLE IF EXISTS readings');
  db.exec(ddl);
  db.close();
}

/** Drops the schema (PostgreSQL) at the end of a run. */
export async function dropSchema(target: string): Promise<void> {
  const pool = new Pool({ connectionString: target, max: 1 });
  try {
    await pool.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  } finally {
    await pool.end();
  }
}

function values(rows: readonly Row[]): { text: string; params: unknown[] } {
  const params: unknown[] = [];
  const tuples = rows.map((row, i) => {
    params.push(row.device, row.seq, row.temperature);
    return `($${3 * i + 1}, $${3 * i + 2}, $${3 * i + 3})`;
  });
  return { text: tuples.join(', '), params };
}

function postgresStore(url: string, connections: number): Store {
  const pool = new Pool({ connectionString: url, max: connections });
  return {
    async insertOne(row) {
      await pool.query(`INSERT INTO ${TABLE} (device, seq, temperature) VALUES ($1, $2, $3)`, [
        row.device,
        row.seq,
        row.temperature,
      ]);
    },
    async insertMany(rows) {
      const { text, params } = values(rows);
      await pool.query(`INSERT INTO ${TABLE} (device, seq, temperature) VALUES ${text}`, params);
    },
    async count() {
      const result = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${TABLE}`);
      return Number(result.rows[0].n);
    },
    close: () => pool.end(),
  };
}

function sqliteStore(file: string): Store {
  const db = new Database(file);
  // The usual settings for ingestion (WAL, NORMAL sync: one fsync per checkpoint, not per row), the same
  // for every subject.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const one = db.prepare('INSERT INTO readings (device, seq, temperature) VALUES (?, ?, ?)');
  return {
    async insertOne(row) {
      one.run(row.device, row.seq, row.temperature);
    },
    async insertMany(rows) {
      const tuples = rows.map(() => '(?, ?, ?)').join(', ');
      const params = rows.flatMap((r) => [r.device, r.seq, r.temperature]);
      db.prepare(`INSERT INTO readings (device, seq, temperature) VALUES ${tuples}`).run(...params);
    },
    async count() {
      return (db.prepare('SELECT count(*) AS n FROM readings').get() as { n: number }).n;
    },
    async close() {
      db.close();
    },
  };
}
