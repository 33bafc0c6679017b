/**
 * One contract over every dead-letter store: the file store, SQLite and PostgreSQL through TypeORM,
 * and a Redis stream. Real services, no mocks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import type { DeadLetter } from '../../../src/pipeline/dead-letter';
import type { DeadLetterStore } from '../../../src/dead-letters/dead-letter-store';
import { FileDeadLetterStore } from '../../../src/dead-letters/file-store';
import { RedisDeadLetterStore } from '../../../src/dead-letters/redis-store';
import { DatabaseDeadLetterStore } from '../../../src/dead-letters/database-store';
import { RouteMQDeadLetters1764806400000 } from '../../../src/dead-letters/dead-letter-migration';
import {
  createTestSchema,
  requireService,
  TEST_REDIS_URL,
  type TestSchema,
} from '../integrations/support/services';

function letter(overrides: Partial<DeadLetter> = {}): DeadLetter {
  return {
    topic: 'sensors/d1/data',
    payload: '{"temperature":"hot"}',
    payloadEncoding: 'utf8',
    payloadBytes: 21,
    error: {
      code: 'ERR_VALIDATION_FAILED',
      name: 'PayloadValidationError',
      message: 'temperature must be a number',
    },
    attempts: 1,
    route: 'SensorController.data',
    template: 'sensors/{device_id}/data',
    qos: 1,
    failedAt: new Date().toISOString(),
    properties: { userProperties: { tenant: 'a' }, correlationData: Buffer.from('c1').toString('base64') },
    ...overrides,
  };
}

interface Subject {
  readonly name: string;
  open(): Promise<DeadLetterStore>;
  close(): Promise<void>;
}

const subjects: Subject[] = [
  (() => {
    let folder = '';
    return {
      name: 'file',
      open: async () => {
        folder = mkdtempSync(join(tmpdir(), 'routemq-dl-'));
        return new FileDeadLetterStore(folder, 2048); // small: the contract crosses rotations
      },
      close: async () => rmSync(folder, { recursive: true, force: true }),
    };
  })(),
  (() => {
    let folder = '';
    let db: DataSource | undefined;
    return {
      name: 'SQLite',
      open: async () => {
        folder = mkdtempSync(join(tmpdir(), 'routemq-dl-sqlite-'));
        db = new DataSource({
          type: 'better-sqlite3',
          database: join(folder, 'app.sqlite'),
          migrations: [RouteMQDeadLetters1764806400000],
          migrationsRun: true,
        });
        await db.initialize();
        return new DatabaseDeadLetterStore(db, 'SQLite');
      },
      close: async () => {
        await db?.destroy();
        rmSync(folder, { recursive: true, force: true });
      },
    };
  })(),
  (() => {
    let schema: TestSchema | undefined;
    let db: DataSource | undefined;
    return {
      name: 'PostgreSQL',
      open: async () => {
        schema = await createTestSchema();
        db = new DataSource({
          type: 'postgres',
          url: schema.url,
          migrations: [RouteMQDeadLetters1764806400000],
          migrationsRun: true,
        });
        await db.initialize();
        return new DatabaseDeadLetterStore(db, 'PostgreSQL');
      },
      close: async () => {
        await db?.destroy();
        await schema?.drop();
      },
    };
  })(),
  (() => {
    let redis: Redis | undefined;
    const key = `routemq:test:dl:${process.pid}:${Date.now()}`;
    return {
      name: 'Redis',
      open: async () => {
        redis = new Redis(`${TEST_REDIS_URL}/10`);
        return new RedisDeadLetterStore(redis, key);
      },
      close: async () => {
        await redis?.del(key, `${key}:replays`);
        redis?.disconnect();
      },
    };
  })(),
];

describe.each(subjects)('dead-letter store: $name', (subject) => {
  if (subject.name === 'PostgreSQL') requireService('postgres');
  if (subject.name === 'Redis') requireService('redis');
  let store: DeadLetterStore;
  beforeEach(async () => {
    store = await subject.open();
  });
  afterEach(() => subject.close());

  it('keeps a letter whole, MQTT 5 properties included, and finds it by id', async () => {
    const id = await store.add(letter());
    const record = await store.get(id);
    expect(record).toMatchObject({ ...letter(), failedAt: expect.any(String), id, replayCount: 0 });
    expect(record?.properties?.userProperties).toEqual({ tenant: 'a' });
    expect(await store.get('no-such-id')).toBeUndefined();
  });

  it('lists newest first, filtered by route, code and time, limited', async () => {
    const old = new Date(Date.now() - 3_600_000).toISOString();
    await store.add(letter({ failedAt: old }));
    await store.add(letter({ route: 'Other.handle', error: { name: 'Error', message: 'boom' } }));
    const newest = await store.add(letter({ topic: 'sensors/d2/data' }));
    expect((await store.list()).map((r) => r.id)[0]).toBe(newest);
    expect(await store.list()).toHaveLength(3);
    expect(await store.list({ route: 'Other.handle' })).toHaveLength(1);
    expect(await store.list({ code: 'ERR_VALIDATION_FAILED' })).toHaveLength(2);
    expect(await store.list({ since: new Date(Date.now() - 60_000) })).toHaveLength(2);
    expect(await store.list({ limit: 1 })).toHaveLength(1);
  });

  it('counts replays', async () => {
    const id = await store.add(letter());
    await store.markReplayed(id, new Date());
    await store.markReplayed(id, new Date());
    const record = await store.get(id);
    expect(record?.replayCount).toBe(2);
    expect(record?.replayedAt).toEqual(expect.any(String));
  });

  it('removes by id and purges what is older than the retention', async () => {
    const a = await store.add(letter({ failedAt: new Date(Date.now() - 10 * 86_400_000).toISOString() }));
    const b = await store.add(letter());
    const c = await store.add(letter({ route: 'Other.handle' }));
    expect(await store.remove([c, 'no-such-id'])).toBe(1);
    expect(await store.purgeBefore(new Date(Date.now() - 86_400_000))).toBe(1);
    expect((await store.list()).map((r) => r.id)).toEqual([b]);
    expect(await store.get(a)).toBeUndefined();
    expect(await store.countByRoute()).toEqual({ 'SensorController.data': 1 });
  });

  it('keeps many letters across rotations and pages', async () => {
    for (let i = 0; i < 30; i++) await store.add(letter({ topic: `sensors/d${i}/data` }));
    const all = await store.list();
    expect(new Set(all.map((r) => r.topic)).size).toBe(30);
    expect(await store.countByRoute()).toEqual({ 'SensorController.data': 30 });
  });
});
