import 'reflect-metadata';
import { Controller, Idempotent, MemoryIdempotencyStore, Module, Param, Topic, UseMiddleware } from 'routemq';
import { createTestApp, type TestApp } from 'routemq/testing';

const runs: string[] = [];
let failNext = false;
let release: (() => void) | undefined;

@Controller('orders')
class OrderController {
  @Topic('{id}/pay', { qos: 1, concurrency: 2 })
  @UseMiddleware(Idempotent({ key: (ctx) => ctx.params.id }))
  async pay(@Param('id') id: string) {
    if (id === 'slow') await new Promise<void>((resolve) => (release = resolve));
    if (failNext) {
      failNext = false;
      throw new Error('payment api down for a moment');
    }
    runs.push(id);
    return { paid: id };
  }

  @Topic('{id}/refund')
  @UseMiddleware(Idempotent({ key: () => undefined }))
  refund(@Param('id') id: string) {
    runs.push(`refund ${id}`);
  }
}

@Module({ controllers: [OrderController] })
class OrderModule {}

describe('Idempotent middleware (in-process store)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp(OrderModule, { retryDelayMs: 1, retryMaxDelayMs: 5 });
  });
  afterAll(() => app.close());
  beforeEach(() => (runs.length = 0));

  it('runs a key once and drops its duplicates, acknowledging them', async () => {
    const first = await app.dispatch('orders/o-1/pay', {}, { qos: 1 });
    const second = await app.dispatch('orders/o-1/pay', {}, { qos: 1 });
    expect(first.result).toEqual({ paid: 'o-1' });
    expect(second.result).toBeUndefined();
    expect(second.error).toBeUndefined();
    expect(runs).toEqual(['o-1']);
    await app.dispatch('orders/o-2/pay', {});
    expect(runs).toEqual(['o-1', 'o-2']);
  });

  it('releases the key of a failed attempt, so the retry runs it', async () => {
    failNext = true;
    const { result, outcomes } = await app.dispatch('orders/o-3/pay', {});
    expect(result).toEqual({ paid: 'o-3' });
    expect(outcomes[0].attempts).toBe(2);
    expect(runs).toEqual(['o-3']);
  });

  it('holds a duplicate that arrives while the first is still running, then drops it', async () => {
    const first = app.dispatch('orders/slow/pay', {});
    while (!release) await new Promise((resolve) => setTimeout(resolve, 1));
    const duplicate = app.dispatch('orders/slow/pay', {});
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    const [a, b] = await Promise.all([first, duplicate]);
    expect(a.result).toEqual({ paid: 'slow' });
    expect(b.result).toBeUndefined();
    expect(b.outcomes[0].attempts).toBeGreaterThan(1);
    expect(runs).toEqual(['slow']);
  });

  it('lets every message through when the key function gives no key', async () => {
    await app.dispatch('orders/r/refund', {});
    await app.dispatch('orders/r/refund', {});
    expect(runs).toEqual(['refund r', 'refund r']);
  });
});

describe('MemoryIdempotencyStore', () => {
  it('forgets processing claims and done keys after their time', async () => {
    const store = new MemoryIdempotencyStore();
    expect(await store.claim('k', 200)).toBe('claimed');
    expect(await store.claim('k', 200)).toBe('busy');
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await store.claim('k', 1000)).toBe('claimed');
    expect(await store.claim('k', 1000)).toBe('busy');
    await store.complete('k', 50);
    expect(await store.claim('k', 1000)).toBe('done');
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await store.claim('k', 1000)).toBe('claimed');
  });
});
