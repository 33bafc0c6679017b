import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { RedisRateLimitStore, type RateLimitRule } from 'routemq';
import { freePort } from '../../utils/free-port';
import { startMosquitto, type MosquittoInstance } from '../../utils/mosquitto';
import { TestClient } from '../../utils/test-client';
import { requireService, TEST_REDIS_URL } from '../integrations/support/services';
import { eventually, scrape } from '../observability/support/prometheus-text';
import { startFixture, type FixtureProcess } from '../../utils/fixture-process';

const ALGORITHMS = ['fixed-window', 'sliding-window', 'token-bucket'] as const;

describe('RedisRateLimitStore (real Redis)', () => {
  requireService('redis');
  const clients: Redis[] = [];
  const client = () => {
    const redis = new Redis(TEST_REDIS_URL);
    clients.push(redis);
    return redis;
  };
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.quit()));
  });

  it.each(ALGORITHMS)(
    '%s: two clients racing 2 x 150 messages get exactly the limit between them',
    async (algorithm) => {
      const key = `routemq:test:${randomUUID()}`;
      const rule: RateLimitRule = { algorithm, limit: 100, windowMs: 3_600_000 };
      const stores = [new RedisRateLimitStore(client()), new RedisRateLimitStore(client())];
      const decisions = await Promise.all(
        Array.from({ length: 300 }, (_, i) => stores[i % 2].consume(key, rule)),
      );
      expect(decisions.filter((d) => d.allowed)).toHaveLength(100);
      const refused = decisions.find((d) => !d.allowed);
      expect(refused?.remaining).toBe(0);
      expect(refused?.retryAfterMs).toBeGreaterThan(0);
    },
  );

  it('token bucket: refills at limit per window, up to the burst', async () => {
    const key = `routemq:test:${randomUUID()}`;
    const store = new RedisRateLimitStore(client());
    const rule: RateLimitRule = { algorithm: 'token-bucket', limit: 20, windowMs: 1000, burst: 5 };
    const burst = await Promise.all(Array.from({ length: 10 }, () => store.consume(key, rule)));
    expect(burst.filter((d) => d.allowed)).toHaveLength(5);
    await new Promise((resolve) => setTimeout(resolve, 260)); // ~5 tokens
    const after = await Promise.all(Array.from({ length: 10 }, () => store.consume(key, rule)));
    expect(after.filter((d) => d.allowed).length).toBeGreaterThanOrEqual(4);
    expect(after.filter((d) => d.allowed).length).toBeLessThanOrEqual(6);
  });

  it('sliding window: frees budget as allowed messages age out of the window', async () => {
    const key = `routemq:test:${randomUUID()}`;
    const store = new RedisRateLimitStore(client());
    const rule: RateLimitRule = { algorithm: 'sliding-window', limit: 3, windowMs: 300 };
    const first = await Promise.all(Array.from({ length: 5 }, () => store.consume(key, rule)));
    expect(first.filter((d) => d.allowed)).toHaveLength(3);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await store.consume(key, rule)).allowed).toBe(true);
  });

  it('loads its scripts again after SCRIPT FLUSH (EVALSHA, then EVAL on NOSCRIPT)', async () => {
    const redis = client();
    const store = new RedisRateLimitStore(redis);
    const rule: RateLimitRule = { algorithm: 'fixed-window', limit: 5, windowMs: 60_000 };
    const key = `routemq:test:${randomUUID()}`;
    await store.consume(key, rule);
    await redis.script('FLUSH');
    expect(await store.consume(key, rule)).toMatchObject({ allowed: true, remaining: 3 });
  });
});

describe('RateLimit across two app processes sharing Redis (shared subscription, dedicated Mosquitto)', () => {
  requireService('redis');
  let broker: MosquittoInstance;
  const apps: FixtureProcess[] = [];
  beforeAll(async () => {
    broker = await startMosquitto('max_inflight_messages 100\nmax_queued_messages 10000');
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await broker?.stop();
  });

  it('holds one global limit for each algorithm, whichever process gets the messages', async () => {
    const run = `rl-${randomUUID().slice(0, 8)}`;
    const limit = 50;
    const windowMs = 600_000;
    // Stay clear of a fixed-window boundary (epoch-aligned): the whole run must fall in one window.
    const intoWindow = Date.now() % windowMs;
    if (intoWindow > windowMs - 20_000) await new Promise((r) => setTimeout(r, windowMs - intoWindow + 100));
    const ports = [await freePort(), await freePort()];
    for (const [i, port] of ports.entries()) {
      const app = startFixture('rate-limit-app', {
        MQTT_BROKER: broker.url,
        MQTT_GROUP_NAME: run,
        MQTT_CLIENT_ID: `${run}-p${i}`,
        REDIS_URL: TEST_REDIS_URL,
        HTTP_PORT: String(port),
        HTTP_HOST: '127.0.0.1',
        FIXTURE_RUN: run,
        FIXTURE_LIMIT: String(limit),
        FIXTURE_WINDOW_MS: String(windowMs),
      });
      apps.push(app);
    }
    await Promise.all(apps.map((app) => app.waitFor('connected; serving')));
    const client = await TestClient.connect(broker.url);
    const started = Date.now();
    const routes = { fixed: 'fixed', sliding: 'sliding', bucket: 'bucket' };
    const publishes = [];
    for (let i = 0; i < 200; i++) {
      for (const r of Object.values(routes)) publishes.push(client.publish(`${run}/${r}/${i}`, { i }));
    }
    await Promise.all(publishes);
    await client.close();
    const read = (port: number, series: string) => scrape(port, series).then((n) => n ?? 0);
    const totals = async (method: string) => {
      const route = `LimitedController.${method}`;
      const perProcess = await Promise.all(
        ports.map(async (port) => ({
          received: await read(port, `routemq_messages_received_total{route="${route}"}`),
          processed: await read(port, `routemq_messages_processed_total{route="${route}"}`),
          limited: await read(port, `routemq_messages_rate_limited_total{route="${route}",action="dropped"}`),
        })),
      );
      return {
        received: perProcess.map((p) => p.received),
        processed: perProcess.reduce((sum, p) => sum + p.processed, 0),
        allowed: perProcess.reduce((sum, p) => sum + p.received - p.limited, 0),
      };
    };
    const results: Record<string, { received: number[]; processed: number; allowed: number }> = {};
    for (const method of Object.keys(routes)) {
      results[method] = await eventually(
        () => totals(method),
        // Done, not only received: the limiter's decision (a Redis round trip) comes after "received".
        (t) => t.received[0] + t.received[1] === 200 && t.processed === 200,
        20_000,
      );
    }
    const elapsedS = (Date.now() - started) / 1000;
    console.log(
      `rate limit across 2 processes (limit ${limit}, 200 offered each, ${elapsedS.toFixed(1)} s): ${JSON.stringify(results)}`,
    );
    for (const method of Object.keys(routes)) {
      // The broker spread the messages: both processes spent the one budget.
      expect(results[method].received.every((n) => n > 20)).toBe(true);
    }
    expect(results.fixed.allowed).toBe(limit);
    expect(results.sliding.allowed).toBe(limit);
    // The bucket refills limit per window: at most a token more per 12 s here.
    expect(results.bucket.allowed).toBeGreaterThanOrEqual(limit);
    expect(results.bucket.allowed).toBeLessThanOrEqual(
      limit + Math.ceil((elapsedS * limit * 1000) / windowMs),
    );
  }, 60_000);
});
