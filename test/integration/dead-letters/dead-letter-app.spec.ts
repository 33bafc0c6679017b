/**
 * The app's dead-letter store in a test app: the default choice, the injectable DeadLetters service,
 * the gauge, retention at start, and the configuration errors.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, DeadLetters, Module, Payload, Topic } from 'routemq';
import { createTestApp } from 'routemq/testing';
import { loadConfig } from '../../../src/app/config';
import { FileDeadLetterStore } from '../../../src/dead-letters/file-store';
import { deadLetterStoreKind } from '../../../src/dead-letters/store-choice';
import { scrape } from '../observability/support/prometheus-text';

@Controller('orders')
class OrderController {
  @Topic('{id}/created', { qos: 1 })
  created(@Payload() order: { poison?: boolean }) {
    if (order.poison) throw new Error('cannot handle this order');
  }
}

@Module({ controllers: [OrderController] })
class OrderModule {}

describe('the dead-letter store of an app', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'routemq-dl-app-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps a failed message (with its MQTT 5 properties) before acking, publishes it, and counts it', async () => {
    const t = await createTestApp(OrderModule, {
      deadLetterStore: 'file',
      dataDir,
      retryAttempts: 1,
      httpPort: 0,
    });
    try {
      const { outcomes } = await t.dispatch(
        'orders/o1/created',
        { poison: true },
        { qos: 1, properties: { userProperties: { tenant: 'a' }, correlationData: Buffer.from('c-1') } },
      );
      expect(outcomes[0]).toMatchObject({ deadLettered: true });
      const [record] = await t.resolve(DeadLetters).list();
      expect(record).toMatchObject({
        topic: 'orders/o1/created',
        route: 'OrderController.created',
        error: { message: 'cannot handle this order' },
        properties: {
          userProperties: { tenant: 'a' },
          correlationData: Buffer.from('c-1').toString('base64'),
        },
        replayCount: 0,
      });
      expect(t.publishedOn('routemq/dead-letter/#')).toHaveLength(1);
      const gauge = `routemq_dead_letters_stored{route="OrderController.created"}`;
      expect(await scrape(t.app.httpPort as number, gauge)).toBe(1);
    } finally {
      await t.close();
    }
  });

  it('replays through the app publisher and marks the record', async () => {
    const t = await createTestApp(OrderModule, { deadLetterStore: 'file', dataDir, retryAttempts: 1 });
    try {
      await t.dispatch('orders/o1/created', { poison: true }, { qos: 1 });
      const deadLetters = t.resolve(DeadLetters);
      const [record] = await deadLetters.list();
      const report = await deadLetters.replay(record.id);
      expect(report.replayed).toEqual([record.id]);
      expect(t.publishedOn('orders/o1/created')).toHaveLength(1);
      expect((await deadLetters.get(record.id))?.replayCount).toBe(1);
      expect((await deadLetters.replay(record.id)).skipped[0].reason).toContain('replayed already');
    } finally {
      await t.close();
    }
  });

  it('purges records older than DEAD_LETTER_RETENTION at start', async () => {
    const store = new FileDeadLetterStore(join(dataDir, 'dead-letters'), 1 << 20);
    const old = new Date(Date.now() - 20 * 86_400_000).toISOString();
    const letter = {
      topic: 'orders/o0/created',
      payload: '{}',
      payloadEncoding: 'utf8' as const,
      payloadBytes: 2,
      error: { name: 'Error', message: 'old' },
      attempts: 3,
      route: 'OrderController.created',
      template: 'orders/{id}/created',
      qos: 1,
    };
    await store.add({ ...letter, failedAt: old });
    await store.add({ ...letter, failedAt: new Date().toISOString() });
    const t = await createTestApp(OrderModule, {
      deadLetterStore: 'file',
      dataDir,
      env: { DEAD_LETTER_RETENTION: '14d' },
    });
    try {
      expect((await t.resolve(DeadLetters).list()).map((r) => r.failedAt)).not.toContain(old);
      expect(await t.resolve(DeadLetters).list()).toHaveLength(1);
    } finally {
      await t.close();
    }
  });
});

describe('choosing the store', () => {
  const kind = (env: Record<string, string>, entities = false) =>
    deadLetterStoreKind(loadConfig(env), entities);

  it('prefers the database, then Redis, then a file; DEAD_LETTER_STORE overrides', () => {
    expect(kind({}, true)).toBe('database');
    expect(kind({ DATABASE_URL: 'postgres://127.0.0.1/test' })).toBe('database');
    expect(kind({ REDIS_URL: 'redis://127.0.0.1:6379' })).toBe('redis');
    expect(kind({})).toBe('file');
    expect(kind({ DEAD_LETTER_STORE: 'topic-only' }, true)).toBe('topic-only');
  });

  it('refuses a store it cannot open, and bad retention, in one message', () => {
    expect(() => loadConfig({ DEAD_LETTER_STORE: 'redis', DEAD_LETTER_RETENTION: '3 fortnights' })).toThrow(
      /DEAD_LETTER_RETENTION[\s\S]*DEAD_LETTER_STORE: redis needs REDIS_URL/,
    );
    expect(() => loadConfig({ DEAD_LETTER_STORE: 'mongo' })).toThrow(
      /DEAD_LETTER_STORE.*database, redis, file, topic-only/,
    );
    expect(loadConfig({ DEAD_LETTER_RETENTION: 'off' }).deadLetterRetentionMs).toBe(0);
    expect(loadConfig({ DEAD_LETTER_RETENTION: '30d' }).deadLetterRetentionMs).toBe(30 * 86_400_000);
  });
});
