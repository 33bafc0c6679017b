import 'reflect-metadata';
import { inject } from 'tsyringe';
import { Controller, Module, REDIS, Topic } from 'routemq';
import type { MessageContext, Middleware, Next } from 'routemq';
import { createApp } from '../../../src/app/create-app';
import { createTestApp } from '../../../src/testing';

describe('createApp boot errors', () => {
  it('names the class that cannot be built and the token it misses', async () => {
    @Controller()
    class NeedsRedis {
      constructor(@inject(REDIS) readonly redis: unknown) {}
      @Topic('t')
      m() {}
    }
    @Module({ controllers: [NeedsRedis] })
    class M {}
    await expect(createApp(M, { env: {}, logLevel: 'silent' })).rejects.toMatchObject({
      code: 'ERR_DEPENDENCY_UNRESOLVED',
      message: expect.stringMatching(
        /NeedsRedis \(used by NeedsRedis\.m\) constructor parameter 0 \(redis\) needs routemq\.REDIS.*set REDIS_URL/s,
      ),
    });
  });

  it('refuses a middleware without handle()', async () => {
    class NotMiddleware {}
    @Controller()
    class C {
      @Topic('t')
      m() {}
    }
    @Module({ controllers: [C], middleware: [NotMiddleware as unknown as new () => Middleware] })
    class M {}
    await expect(createApp(M, { env: {}, logLevel: 'silent' })).rejects.toThrow(
      /NotMiddleware \(middleware of C\.m\) has no handle/,
    );
  });

  it('refuses an import that is not a module and a provider without token', async () => {
    class Plain {}
    @Module({ imports: [Plain] })
    class M {}
    await expect(createApp(M, { env: {} })).rejects.toMatchObject({
      code: 'ERR_MODULE_INVALID',
      message: expect.stringContaining('Plain is not a @Module class'),
    });
    @Module({ providers: [{ useValue: 1 } as never] })
    class P {}
    await expect(createApp(P, { env: {} })).rejects.toThrow(/providers\[0\]: the provider has no token/);
  });

  it('refuses bad configuration before anything connects', async () => {
    @Module({})
    class Empty {}
    await expect(createApp(Empty, { env: { MQTT_PORT: 'x', LOG_LEVEL: 'nope' } })).rejects.toThrow(
      /MQTT_PORT[\s\S]*LOG_LEVEL/,
    );
  });

  it('lets providers given to createApp override module providers', async () => {
    const TOKEN = Symbol('value');
    class Reader implements Middleware {
      constructor() {}
      handle(_c: MessageContext, next: Next) {
        return next();
      }
    }
    @Module({ providers: [{ token: TOKEN, useValue: 'module' }], middleware: [Reader] })
    class M {}
    const app = await createApp(M, {
      env: {},
      logLevel: 'silent',
      providers: [{ token: TOKEN, useValue: 'override' }],
    });
    expect(app.container.resolve(TOKEN)).toBe('override');
  });
});

describe('createTestApp boot errors', () => {
  it('suggests the test app option or a provider for REDIS, not REDIS_URL', async () => {
    @Controller()
    class NeedsRedis {
      constructor(@inject(REDIS) readonly redis: unknown) {}
      @Topic('t')
      m() {}
    }
    @Module({ controllers: [NeedsRedis] })
    class M {}
    const error = (await createTestApp(M).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/createTestApp ignores REDIS_URL.*redisUrl.*provide: REDIS, useValue/s);
    expect(error.message).not.toMatch(/set REDIS_URL/);
  });
});
