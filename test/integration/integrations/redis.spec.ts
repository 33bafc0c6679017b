import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { Controller, inject, Module, Payload, REDIS, Topic } from 'routemq';
import { createApp } from '../../../src/app/create-app';
import { createTestApp, MemoryBroker, MemoryTransport, type TestApp } from 'routemq/testing';
import { freePort } from '../../utils/free-port';
import { captureLogs, type LogLine } from './support/log-capture';
import { startRedisServer, type RedisServer } from './support/redis-server';
import { requireService, TEST_REDIS_URL } from './support/services';

@Controller()
class CounterController {
  constructor(
    @inject(REDIS) private readonly redis: Redis,
    private readonly byClass: Redis,
  ) {}

  @Topic('count/{key}')
  async count(@Payload() key: string) {
    return { value: await this.redis.incr(key), sameClient: this.redis === this.byClass };
  }
}
@Module({ controllers: [CounterController] })
class CounterModule {}

@Controller()
class OptionalController {
  constructor(@inject(REDIS, { isOptional: true }) readonly redis?: Redis) {}

  @Topic('optional')
  optional() {
    return { hasRedis: this.redis !== undefined };
  }
}
@Module({ controllers: [OptionalController] })
class OptionalModule {}

const redisErrors = (lines: readonly LogLine[]) =>
  lines.filter((l) => l.level >= 50 && l.integration === 'redis');

describe('Redis integration (REDIS_URL set)', () => {
  requireService('redis');
  let t: TestApp;
  const key = `routemq-test:${randomUUID()}`;
  beforeAll(async () => {
    t = await createTestApp(CounterModule, { redisUrl: TEST_REDIS_URL });
  });
  afterAll(async () => {
    await t?.resolve<Redis>(REDIS).del(key);
    await t?.close();
  });

  it('injects one connected client under REDIS and under the ioredis Redis class', async () => {
    expect(t.resolve<Redis>(REDIS).status).toBe('ready');
    expect(t.resolve(Redis)).toBe(t.resolve(REDIS));
    expect((await t.dispatch(`count/x`, key)).result).toEqual({ value: 1, sameClient: true });
    expect((await t.dispatch(`count/x`, key)).result).toEqual({ value: 2, sameClient: true });
  });

  it('gives optional injections the client', async () => {
    const optional = await createTestApp(OptionalModule, { redisUrl: TEST_REDIS_URL });
    expect((await optional.dispatch('optional', '')).result).toEqual({ hasRedis: true });
    await optional.close();
  });
});

describe('Redis integration lifecycle', () => {
  requireService('redis');

  it('does no I/O in createApp, connects in start() and closes in stop()', async () => {
    const app = await createApp(CounterModule, {
      env: {},
      logLevel: 'silent',
      redisUrl: TEST_REDIS_URL,
      transport: new MemoryTransport(new MemoryBroker(), { clientId: 'lifecycle' }),
    });
    const client = app.container.resolve<Redis>(REDIS);
    expect(client.status).toBe('wait');
    await app.start();
    expect(client.status).toBe('ready');
    await app.stop();
    expect(client.status).toBe('end');
  });

  it('stops start() with an error naming REDIS_URL (password hidden) when Redis is down at boot', async () => {
    const port = await freePort();
    const failing = createTestApp(CounterModule, { redisUrl: `redis://:hunter2@127.0.0.1:${port}` });
    await expect(failing).rejects.toMatchObject({ code: 'ERR_INTEGRATION_START_FAILED' });
    const message = await failing.catch((error: Error) => error.message);
    expect(message).toContain(`redis://:****@127.0.0.1:${port} (REDIS_URL)`);
    expect(message).toContain('ECONNREFUSED');
    expect(message).toContain('Fix: start Redis');
    expect(message).not.toContain('hunter2');
  });
});

describe('Redis integration without REDIS_URL', () => {
  it('fails the boot naming the class and REDIS_URL when REDIS is required', async () => {
    const failing = createTestApp(CounterModule);
    await expect(failing).rejects.toMatchObject({ code: 'ERR_DEPENDENCY_UNRESOLVED' });
    const message = await failing.catch((error: Error) => error.message);
    expect(message).toContain('CounterController');
    expect(message).toContain('set REDIS_URL');
    expect(message).toContain('isOptional');
  });

  it('fails the boot with the same fix when the ioredis class is injected', async () => {
    @Controller()
    class ByClassController {
      constructor(readonly redis: Redis) {}
      @Topic('x')
      x() {}
    }
    @Module({ controllers: [ByClassController] })
    class ByClassModule {}
    await expect(createTestApp(ByClassModule)).rejects.toThrow(/ByClassController[\s\S]*set REDIS_URL/);
  });

  it('gives optional injections undefined', async () => {
    const t = await createTestApp(OptionalModule);
    expect((await t.dispatch('optional', '')).result).toEqual({ hasRedis: false });
    await t.close();
  });
});

describe('Redis outage (a redis-server of our own, killed and restarted)', () => {
  const COMMAND_TIMEOUT_MS = 300;
  let server: RedisServer;
  let t: TestApp;
  let logs: ReturnType<typeof captureLogs>;
  beforeAll(async () => {
    server = await startRedisServer();
    logs = captureLogs();
    t = await createTestApp(CounterModule, {
      redisUrl: server.url,
      redisCommandTimeoutMs: COMMAND_TIMEOUT_MS,
      logger: logs.logger,
    });
  });
  afterAll(async () => {
    await t?.close();
    await server?.stop();
  });

  /** Resolves how long a command took to fail, or fails the test if it succeeded. */
  const failureTime = async (client: Redis): Promise<number> => {
    const started = Date.now();
    await expect(client.get('k')).rejects.toThrow();
    return Date.now() - started;
  };

  const untilWorks = async (client: Redis): Promise<void> => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      try {
        if ((await client.ping()) === 'PONG') return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  it('fails commands within the timeout, logs one error per outage, and recovers without a restart', async () => {
    const client = t.resolve<Redis>(REDIS);
    expect(await client.set('k', 'v')).toBe('OK');
    for (let outage = 1; outage <= 2; outage++) {
      await server.kill();
      // Several commands during the outage, spread over a few reconnect attempts: each fails in time.
      for (let i = 0; i < 5; i++) {
        expect(await failureTime(client)).toBeLessThan(COMMAND_TIMEOUT_MS + 250);
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      expect(redisErrors(logs.lines)).toHaveLength(outage);
      await server.restart();
      await untilWorks(client);
      expect(await client.set('k', `v${outage}`)).toBe('OK');
      expect(logs.lines.filter((l) => /redis connection restored/.test(String(l.msg)))).toHaveLength(outage);
    }
    // Through a handler too: the app was never restarted.
    expect((await t.dispatch('count/x', 'counter')).result).toEqual({ value: 1, sameClient: true });
  }, 60_000);
});
