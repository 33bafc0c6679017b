import 'reflect-metadata';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { container } from 'tsyringe';
import { DATA_SOURCE, REDIS } from 'routemq';
import { dependencyProbes } from '../../../src/observability/dependency-probes';
import { startHttpEndpoint } from '../../../src/observability/http-endpoint';
import { Readiness } from '../../../src/observability/readiness';

describe('Readiness', () => {
  it('is ready only once started, while connected, with every probe passing, until draining', async () => {
    let redisUp = true;
    const readiness = new Readiness([{ name: 'redis', check: async () => redisUp }]);
    expect(await readiness.check()).toEqual({
      ready: false,
      checks: { broker: false, subscribed: false, draining: true, redis: true },
    });
    readiness.started();
    expect((await readiness.check()).ready).toBe(true);
    readiness.brokerConnected(false);
    expect(await readiness.check()).toMatchObject({ ready: false, checks: { broker: false } });
    readiness.brokerConnected(true);
    redisUp = false;
    expect(await readiness.check()).toMatchObject({ ready: false, checks: { redis: false } });
    redisUp = true;
    readiness.draining();
    expect(await readiness.check()).toMatchObject({ ready: false, checks: { draining: false } });
  });

  it('is not ready while an acknowledgement has been held longer than READY_MAX_ACK_AGE_MS, and says why', async () => {
    let oldest: number | undefined = 59_000;
    const readiness = new Readiness([], 60_000);
    readiness.watchAcks(() => oldest);
    readiness.started();
    expect(await readiness.check()).toEqual({
      ready: true,
      checks: { broker: true, subscribed: true, draining: true, acks: true },
    });
    oldest = 61_000;
    const report = await readiness.check();
    expect(report).toMatchObject({ ready: false, checks: { acks: false } });
    expect(report.reasons).toEqual([expect.stringMatching(/held for 61 s.*READY_MAX_ACK_AGE_MS=60000/)]);
    oldest = undefined;
    expect((await readiness.check()).ready).toBe(true);
  });

  it('counts a probe that throws as failing', async () => {
    const readiness = new Readiness([{ name: 'db', check: () => Promise.reject(new Error('down')) }]);
    readiness.started();
    expect(await readiness.check()).toMatchObject({ ready: false, checks: { db: false } });
  });
});

describe('dependencyProbes', () => {
  it('probes only what the app registered: Redis by client status, the database by SELECT 1', async () => {
    const child = container.createChildContainer();
    expect(dependencyProbes(child)).toEqual([]);
    const redis = { status: 'ready' };
    let answer: Promise<unknown> = Promise.resolve([{ 1: 1 }]);
    const database = { isInitialized: true, query: jest.fn(() => answer) };
    child.register(REDIS, { useValue: redis });
    child.register(DATA_SOURCE, { useValue: database });
    const probes = dependencyProbes(child);
    expect(probes.map((p) => p.name)).toEqual(['redis', 'database']);
    expect(await Promise.all(probes.map((p) => p.check()))).toEqual([true, true]);
    expect(database.query).toHaveBeenCalledWith('SELECT 1');
    redis.status = 'reconnecting';
    answer = new Promise(() => undefined); // a database that never answers
    const started = Date.now();
    expect(await Promise.all(probes.map((p) => p.check()))).toEqual([false, false]);
    expect(Date.now() - started).toBeLessThan(1500);
  });
});

describe('HTTP endpoint', () => {
  const handlers = {
    metrics: async () => ({ contentType: 'text/plain; version=0.0.4', body: 'm 1\n' }),
    ready: async () => ({ ready: false, checks: { broker: false } }),
  };

  it('serves /health, /ready (503 when not ready) and /metrics; 404 and 405 otherwise', async () => {
    const endpoint = await startHttpEndpoint('127.0.0.1', 0, handlers);
    const base = `http://127.0.0.1:${endpoint.port}`;
    try {
      const health = await fetch(`${base}/health`);
      expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
      const ready = await fetch(`${base}/ready?verbose=1`);
      expect([ready.status, await ready.json()]).toEqual([503, { ready: false, checks: { broker: false } }]);
      const metrics = await fetch(`${base}/metrics`);
      expect([metrics.status, await metrics.text()]).toEqual([200, 'm 1\n']);
      expect(metrics.headers.get('content-type')).toBe('text/plain; version=0.0.4');
      expect((await fetch(`${base}/other`)).status).toBe(404);
      const post = await fetch(`${base}/metrics`, { method: 'POST', body: 'x' });
      expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
      const head = await fetch(`${base}/health`, { method: 'HEAD' });
      expect([head.status, await head.text()]).toEqual([200, '']);
    } finally {
      await endpoint.close();
    }
  });

  it('answers 500 with the reason when a handler fails', async () => {
    const endpoint = await startHttpEndpoint('127.0.0.1', 0, {
      ...handlers,
      metrics: () => Promise.reject(new Error('registry broke')),
    });
    const response = await fetch(`http://127.0.0.1:${endpoint.port}/metrics`);
    await endpoint.close();
    expect([response.status, await response.text()]).toEqual([500, 'registry broke\n']);
  });

  it('fails with ERR_HTTP_LISTEN_FAILED naming HTTP_PORT when the port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      await expect(startHttpEndpoint('127.0.0.1', port, handlers)).rejects.toMatchObject({
        code: 'ERR_HTTP_LISTEN_FAILED',
        message: expect.stringContaining('HTTP_PORT'),
      });
    } finally {
      taken.close();
    }
  });

  it('closes even while a scraper keeps its connection alive', async () => {
    const endpoint = await startHttpEndpoint('127.0.0.1', 0, handlers);
    await fetch(`http://127.0.0.1:${endpoint.port}/metrics`, { keepalive: true });
    const started = Date.now();
    await endpoint.close();
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
