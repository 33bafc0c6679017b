import 'reflect-metadata';
import {
  Batch,
  Controller,
  createApp,
  Module,
  Param,
  Router,
  Topic,
  type BatchItem,
  type RouteDescription,
} from '../../../src/index';
import { createTestApp } from '../../../src/testing';

/** The value of one series in Prometheus text, or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const handled: number[] = [];

@Controller('t')
class TimedController {
  @Topic('{id}', { qos: 1, batch: { maxSize: 1000, maxWaitMs: 50 }, concurrency: 2 })
  ingest(@Batch() items: BatchItem<{ n: number }>[]) {
    handled.push(items.length);
  }
}

@Module({ controllers: [TimedController] })
class TimedModule {}

describe('batch routes at boot', () => {
  it('refuses reply, one-message parameter decorators, and @Batch() without the batch option, all at once', async () => {
    @Controller('bad')
    class BadController {
      @Topic('{id}', { qos: 1, batch: { maxSize: 0 }, reply: 'bad/{id}/ack' })
      replies(@Batch() items: BatchItem[]) {
        return items.length;
      }

      @Topic('p/{id}', { batch: { maxWaitMs: -1 } })
      params(@Param('id') id: string) {
        return id;
      }

      @Topic('plain/{id}')
      plain(@Batch() items: BatchItem[]) {
        return items;
      }
    }
    @Module({ controllers: [BadController] })
    class BadModule {}
    const error = (await createApp(BadModule, { env: {}, logLevel: 'silent' }).catch((e: unknown) => e)) as {
      code: string;
      message: string;
    };
    expect(error.code).toBe('ERR_ROUTE_INVALID');
    expect(error.message).toContain('batch.maxSize must be a whole number >= 1 (got 0)');
    expect(error.message).toContain('reply cannot be used on a batch route');
    expect(error.message).toContain('batch.maxWaitMs must be a whole number of milliseconds >= 0 (got -1)');
    expect(error.message).toContain('BadController.params');
    expect(error.message).toContain('a batch handler receives its items through @Batch()');
    expect(error.message).toContain("BadController.plain @Topic('plain/{id}')");
    expect(error.message).toContain("@Batch() needs the route's batch option");
  });

  it('shows the batch settings in the route table and warns when maxSize is above the in-flight window', async () => {
    const warnings: string[] = [];
    const t = await createTestApp(TimedModule, {
      env: { MQTT_RECEIVE_MAXIMUM: '200' },
      logLevel: 'warn',
      logger: captureWarnings(warnings),
    });
    try {
      const [route] = t.app.routes as RouteDescription[];
      expect(route.batch).toEqual({ maxSize: 1000, maxWaitMs: 50, concurrency: 2 });
      expect(warnings.join('\n')).toContain(
        'TimedController.ingest: batch maxSize 1000 is above what arrives before something is acknowledged (MQTT_RECEIVE_MAXIMUM 200',
      );
      expect(warnings.join('\n')).toContain('batches will hold at most 200 items');
    } finally {
      await t.close();
    }
  });
});

describe('batch routes over time', () => {
  afterEach(() => jest.useRealTimers());

  it('flushes maxWaitMs after the first item: with fake timers, advancing the clock hands the batch over', async () => {
    handled.length = 0;
    const t = await createTestApp(TimedModule);
    try {
      jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
      const runs = [1, 2, 3].map((n) => t.dispatch(`t/${n}`, { n }, { qos: 1 }));
      await new Promise((resolve) => setImmediate(resolve));
      expect(handled).toEqual([]);
      await jest.advanceTimersByTimeAsync(49);
      expect(handled).toEqual([]);
      await jest.advanceTimersByTimeAsync(1);
      await Promise.all(runs);
      expect(handled).toEqual([3]);
    } finally {
      jest.useRealTimers();
      await t.close();
    }
  });

  it('lets an overdue batch grow while the handler is busy, and hands it over when the slot frees', async () => {
    const sizes: number[] = [];
    let release: () => void = () => undefined;
    const busy = new Promise<void>((resolve) => (release = resolve));
    const router = new Router({ name: 'slow' }).on(
      'slow/{id}',
      async (items) => {
        sizes.push(items.length);
        if (sizes.length === 1) await busy;
      },
      { qos: 1, batch: { maxSize: 100, maxWaitMs: 5 } },
    );
    @Module({ routers: [router] })
    class SlowModule {}
    const t = await createTestApp(SlowModule);
    try {
      const first = t.dispatch('slow/0', {}, { qos: 1 });
      await until(() => sizes.length === 1);
      const later = [1, 2, 3].map((n) => t.dispatch(`slow/${n}`, {}, { qos: 1 }));
      // Well past maxWaitMs: the batch is overdue, but the one slot (concurrency 1) is busy.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const last = [4, 5].map((n) => t.dispatch(`slow/${n}`, {}, { qos: 1 }));
      expect(sizes).toEqual([1]);
      release();
      await Promise.all([first, ...later, ...last]);
      expect(sizes).toEqual([1, 5]);
    } finally {
      release();
      await t.close();
    }
  });

  it('reports batch sizes, flushes by reason and handler durations as metrics', async () => {
    const t = await createTestApp(TimedModule, { httpPort: 0, httpHost: '127.0.0.1' });
    try {
      const runs = [1, 2, 3, 4, 5].map((n) => t.dispatch(`t/${n}`, { n }, { qos: 1 }));
      await t.flush();
      await Promise.all(runs);
      const text = await (await fetch(`http://127.0.0.1:${t.app.httpPort}/metrics`)).text();
      const route = 'route="TimedController.ingest"';
      expect(sample(text, `routemq_batch_flushes_total{${route},reason="manual"}`)).toBe(1);
      expect(sample(text, `routemq_batch_size_sum{${route}}`)).toBe(5);
      expect(sample(text, `routemq_batch_size_count{${route}}`)).toBe(1);
      expect(sample(text, `routemq_batch_handler_duration_seconds_count{${route}}`)).toBe(1);
      expect(sample(text, `routemq_batch_items_dead_lettered_total{${route}}`)).toBe(0);
      expect(sample(text, `routemq_messages_processed_total{${route}}`)).toBe(5);
    } finally {
      await t.close();
    }
  });
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

function captureWarnings(into: string[]) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pino = require('pino') as typeof import('pino');
  return pino.pino(
    { level: 'warn' },
    { write: (line: string) => void into.push((JSON.parse(line) as { msg: string }).msg) },
  );
}
