import 'reflect-metadata';
import { IsNumber } from 'class-validator';
import {
  Batch,
  Controller,
  Module,
  Router,
  Topic,
  UseMiddleware,
  type BatchItem,
  type MessageContext,
  type Middleware,
  type Next,
} from '../../../src/index';
import { createTestApp, type TestApp } from '../../../src/testing';

class ReadingDto {
  @IsNumber()
  temperature!: number;
}

/** Every handler call: the items' temperatures, in the order the handler got them. */
const calls: number[][] = [];
/** Temperatures the handler refuses (a poison reading), and failures to throw before succeeding. */
const poison = new Set<number>();
let transientFailures = 0;

class DropNegative implements Middleware {
  async handle(ctx: MessageContext, next: Next) {
    const { temperature } = ctx.payload as { temperature: number };
    if (temperature < 0) return undefined; // not next(): the item is dropped, and acknowledged
    return next();
  }
}

@Controller('sensors')
class IngestController {
  @Topic('{device_id}/data', {
    qos: 1,
    batch: { maxSize: 4, maxWaitMs: 60_000 },
    retry: { attempts: 2, delayMs: 1, maxDelayMs: 1 },
  })
  @UseMiddleware(DropNegative)
  async ingest(@Batch(ReadingDto) items: BatchItem<ReadingDto>[]) {
    const temperatures = items.map((item) => item.payload.temperature);
    calls.push(temperatures);
    if (transientFailures > 0) {
      transientFailures--;
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    }
    const bad = temperatures.find((t) => poison.has(t));
    if (bad !== undefined) throw new Error(`value ${bad} violates a check constraint`);
    for (const item of items) expect(item.payload).toBeInstanceOf(ReadingDto);
  }
}

@Module({ controllers: [IngestController] })
class IngestModule {}

function readings(from: number, count: number) {
  return Array.from({ length: count }, (_, i) => ({ temperature: from + i }));
}

describe('batch routes', () => {
  let t: TestApp;
  beforeEach(async () => {
    calls.length = 0;
    poison.clear();
    transientFailures = 0;
    t = await createTestApp(IngestModule, { env: { RETRY_DELAY_MS: '1' } });
  });
  afterEach(() => t.close());

  it('hands items over in arrival order, maxSize at a time, and acknowledges each after its batch', async () => {
    const runs = readings(1, 10).map((r) => t.dispatch('sensors/d1/data', r, { qos: 1 }));
    await t.flush();
    const results = await Promise.all(runs);
    expect(calls).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10],
    ]);
    for (const result of results) expect(result.error).toBeUndefined();
    expect(t.app.stats.processed).toBe(10);
  });

  it('runs per-item steps first: invalid payloads are dead-lettered, dropped ones never reach the handler', async () => {
    const runs = [
      t.dispatch('sensors/d1/data', { temperature: 1 }, { qos: 1 }),
      t.dispatch('sensors/d1/data', { temperature: 'hot' }, { qos: 1 }),
      t.dispatch('sensors/d1/data', { temperature: -5 }, { qos: 1 }),
      t.dispatch('sensors/d1/data', { temperature: 2 }, { qos: 1 }),
    ];
    await t.flush();
    const [, invalid, dropped] = await Promise.all(runs);
    expect(calls).toEqual([[1, 2]]);
    expect((invalid.error as { code?: string }).code).toBe('ERR_VALIDATION_FAILED');
    expect(t.publishedOn('routemq/dead-letter/#')).toHaveLength(1);
    expect(dropped.error).toBeUndefined();
  });

  it('retries a failing batch, then bisects it: only the poison item is dead-lettered, its neighbours are stored', async () => {
    poison.add(3);
    const runs = readings(1, 4).map((r) => t.dispatch('sensors/d1/data', r, { qos: 1 }));
    await t.flush();
    const results = await Promise.all(runs);
    // Two attempts of the whole batch, then halves [1,2] (stored) and [3,4] (fails), then [3] and [4].
    expect(calls).toEqual([[1, 2, 3, 4], [1, 2, 3, 4], [1, 2], [3, 4], [3], [4]]);
    expect(results.map((r) => (r.error as { code?: string } | undefined)?.code)).toEqual([
      undefined,
      undefined,
      'ERR_BATCH_ITEM_FAILED',
      undefined,
    ]);
    const deadLetters = t.publishedOn('routemq/dead-letter/#');
    expect(deadLetters).toHaveLength(1);
    const body = JSON.parse(deadLetters[0].payload.toString()) as {
      payload: string;
      error: { code: string; message: string };
    };
    expect(JSON.parse(body.payload)).toEqual({ temperature: 3 });
    expect(body.error.code).toBe('ERR_BATCH_ITEM_FAILED');
    expect(body.error.message).toContain('value 3 violates a check constraint');
  });

  it('waits out an unavailable dependency instead of bisecting or dead-lettering', async () => {
    transientFailures = 3; // more than retry.attempts: an outage is retried until it ends
    const runs = readings(1, 4).map((r) => t.dispatch('sensors/d1/data', r, { qos: 1 }));
    await t.flush();
    const results = await Promise.all(runs);
    expect(calls).toHaveLength(4);
    expect(calls.every((c) => c.length === 4)).toBe(true);
    expect(results.every((r) => r.error === undefined)).toBe(true);
    expect(t.publishedOn('routemq/dead-letter/#')).toHaveLength(0);
  });

  it('hands the pending batch over when the app stops', async () => {
    const runs = readings(1, 3).map((r) => t.dispatch('sensors/d1/data', r, { qos: 1 }));
    await new Promise((resolve) => setImmediate(resolve));
    await t.close();
    const results = await Promise.all(runs);
    expect(calls).toEqual([[1, 2, 3]]);
    expect(results.every((r) => r.outcomes[0]?.withheld !== true)).toBe(true);
  });
});

describe('batch routes and the in-flight window', () => {
  it('caps the batch size at MQTT_RECEIVE_MAXIMUM and flushes every route when the window is full', async () => {
    const seen: string[] = [];
    const router = new Router({ name: 'window' })
      .on('a/{id}', (items) => void seen.push(`a:${items.length}`), {
        qos: 1,
        batch: { maxSize: 100, maxWaitMs: 60_000 },
      })
      .on('b/{id}', (items) => void seen.push(`b:${items.length}`), {
        qos: 1,
        batch: { maxSize: 100, maxWaitMs: 60_000 },
      });
    @Module({ routers: [router] })
    class WindowModule {}
    const t = await createTestApp(WindowModule, { env: { MQTT_RECEIVE_MAXIMUM: '6' } });
    try {
      // 3 + 3 held deliveries fill a window of 6: nothing more would come, so both batches go now.
      const runs = [1, 2, 3].flatMap((i) => [
        t.dispatch(`a/${i}`, {}, { qos: 1 }),
        t.dispatch(`b/${i}`, {}, { qos: 1 }),
      ]);
      await Promise.all(runs);
      expect(seen.sort()).toEqual(['a:3', 'b:3']);
      // A batch alone is capped at the window: 7 items make batches of 6 and 1.
      seen.length = 0;
      const more = Array.from({ length: 7 }, (_, i) => t.dispatch(`a/${i}`, {}, { qos: 1 }));
      await t.flush();
      await Promise.all(more);
      expect(seen).toEqual(['a:6', 'a:1']);
    } finally {
      await t.close();
    }
  });
});
