import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Column, DataSource, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Controller, DATA_SOURCE, inject, Module, Payload, Topic } from 'routemq';
import { createTestApp, type TestApp } from 'routemq/testing';
import { freePort } from '../../utils/free-port';
import { createTestSchema, requireService, TEST_POSTGRES_URL, type TestSchema } from './support/services';

@Entity('notes')
class Note {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 200 })
  text!: string;
}

@Controller()
class NoteController {
  constructor(@inject(DATA_SOURCE) private readonly db: DataSource) {}

  @Topic('notes/add')
  async add(@Payload() text: string) {
    const saved = await this.db.getRepository(Note).save({ text });
    return { id: saved.id, count: await this.db.getRepository(Note).count() };
  }
}

/** Declares the entity: that alone gives the app a DataSource. */
@Module({ controllers: [NoteController], entities: [Note] })
class NoteModule {}

@Controller()
class NeedsDatabaseController {
  constructor(@inject(DATA_SOURCE) readonly db: DataSource) {}
  @Topic('x')
  x() {}
}
/** Needs a DataSource but declares no entity. */
@Module({ controllers: [NeedsDatabaseController] })
class NoEntitiesModule {}

const MIGRATION_JS = `
exports.CreateNotes1700000000000 = class CreateNotes1700000000000 {
  name = 'CreateNotes1700000000000';
  async up(queryRunner) {
    await queryRunner.query('CREATE TABLE notes (id serial PRIMARY KEY, text varchar(200) NOT NULL)');
  }
  async down(queryRunner) {
    await queryRunner.query('DROP TABLE notes');
  }
};
`;

describe('database integration: SQLite by default', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'routemq-db-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('creates <DATA_DIR>/routemq.sqlite with the synchronized table, and destroys the DataSource on stop', async () => {
    const t = await createTestApp(NoteModule, { dataDir: join(dataDir, 'nested') });
    const db = t.resolve<DataSource>(DATA_SOURCE);
    expect(db.isInitialized).toBe(true);
    expect(t.resolve(DataSource)).toBe(db);
    expect((await t.dispatch('notes/add', 'first')).result).toEqual({ id: 1, count: 1 });
    await t.close();
    expect(db.isInitialized).toBe(false);
    const file = join(dataDir, 'nested', 'routemq.sqlite');
    const sqlite = new Database(file, { readonly: true });
    try {
      const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all();
      expect(tables).toContainEqual({ name: 'notes' });
      expect(sqlite.prepare('SELECT text FROM notes').all()).toEqual([{ text: 'first' }]);
    } finally {
      sqlite.close();
    }
  });

  it('uses the file of a sqlite: DATABASE_URL', async () => {
    const file = join(dataDir, 'custom.db');
    const t = await createTestApp(NoteModule, { databaseUrl: `sqlite:${file}`, dataDir });
    await t.dispatch('notes/add', 'x');
    await t.close();
    expect(existsSync(file)).toBe(true);
    expect(existsSync(join(dataDir, 'routemq.sqlite'))).toBe(false);
  });

  it('stops start() naming DATA_DIR when the folder cannot be created', async () => {
    const blocker = join(dataDir, 'a-file');
    await writeFile(blocker, '');
    const failing = createTestApp(NoteModule, { dataDir: join(blocker, 'data') });
    await expect(failing).rejects.toMatchObject({ code: 'ERR_INTEGRATION_START_FAILED' });
    await expect(failing).rejects.toThrow(
      /from DATA_DIR[\s\S]*Fix: make DATA_DIR point at a writable folder/,
    );
  });
});

describe('database integration: not wanted', () => {
  it('registers no DATA_SOURCE without entities or DATABASE_URL, and says what to do', async () => {
    const failing = createTestApp(NoEntitiesModule);
    await expect(failing).rejects.toMatchObject({ code: 'ERR_DEPENDENCY_UNRESOLVED' });
    await expect(failing).rejects.toThrow(
      /NeedsDatabaseController[\s\S]*declares TypeORM entities[\s\S]*DATABASE_URL/,
    );
  });
});

describe('database integration: PostgreSQL through DATABASE_URL', () => {
  requireService('postgres');
  let schema: TestSchema;
  let t: TestApp | undefined;
  beforeEach(async () => {
    schema = await createTestSchema();
  });
  afterEach(async () => {
    await t?.close();
    t = undefined;
    await schema.drop();
  });

  it('does not synchronize by default: the table comes from DATABASE_MIGRATIONS', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'routemq-migrations-'));
    try {
      await writeFile(join(dir, '1700000000000-create-notes.js'), MIGRATION_JS);
      t = await createTestApp(NoteModule, {
        databaseUrl: schema.url,
        databaseMigrations: [join(dir, '*.js')],
      });
      expect((await t.dispatch('notes/add', 'hello')).result).toEqual({ id: 1, count: 1 });
      expect(await schema.query('SELECT text FROM notes')).toEqual([{ text: 'hello' }]);
      expect(await schema.query('SELECT name FROM migrations')).toEqual([
        { name: 'CreateNotes1700000000000' },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('creates the table from the entities with DATABASE_SYNCHRONIZE=true, and destroys the DataSource on stop', async () => {
    t = await createTestApp(NoteModule, { env: { DATABASE_URL: schema.url, DATABASE_SYNCHRONIZE: 'true' } });
    expect((await t.dispatch('notes/add', 'synced')).result).toEqual({ id: 1, count: 1 });
    const db = t.resolve<DataSource>(DATA_SOURCE);
    expect(db.options.type).toBe('postgres');
    await t.close();
    t = undefined;
    expect(db.isInitialized).toBe(false);
    expect(await schema.query('SELECT text FROM notes')).toEqual([{ text: 'synced' }]);
  });

  it('gives a DataSource to apps without entities when DATABASE_URL is set (raw queries)', async () => {
    t = await createTestApp(NoEntitiesModule, { databaseUrl: schema.url });
    expect(await t.resolve<DataSource>(DATA_SOURCE).query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('stops start() with an error naming DATABASE_URL (password hidden) when PostgreSQL is unreachable', async () => {
    const url = new URL(TEST_POSTGRES_URL);
    url.password = 'hunter2';
    url.port = String(await freePort());
    const failing = createTestApp(NoteModule, { databaseUrl: url.toString() });
    await expect(failing).rejects.toMatchObject({ code: 'ERR_INTEGRATION_START_FAILED' });
    const message = await failing.catch((error: Error) => error.message);
    expect(message).toContain(`:****@127.0.0.1:${url.port}`);
    expect(message).toContain('from DATABASE_URL');
    expect(message).toContain('ECONNREFUSED');
    expect(message).not.toContain('hunter2');
  });
});
