import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { Controller, Idempotent, Module, Param, REDIS, Topic, UseMiddleware } from 'routemq';
import { createTestApp, type TestApp } from 'routemq/testing';

const runs: string[] = [];

@Controller('jobs')
class JobController {
  @Topic('{id}/run', { qos: 1 })
  @UseMiddleware(Idempotent({ key: (ctx) => ctx.params.id, prefix: `test:idem:${randomUUID()}` }))
  run(@Param('id') id: string) {
    runs.push(id);
  }
}

@Module({ controllers: [JobController] })
class JobModule {}

describe('Idempotent middleware with the Redis store (real Redis at 127.0.0.1:6379)', () => {
  const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
  });
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    try {
      await redis.connect();
    } catch (error) {
      throw new Error(
        `Redis is needed at 127.0.0.1:6379 (start it with \`redis-server --daemonize yes\`): ${String(error)}`,
        { cause: error },
      );
    }
    const providers = [{ token: REDIS, useValue: redis }];
    first = await createTestApp(JobModule, { providers });
    second = await createTestApp(JobModule, { providers });
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    redis.disconnect();
  });

  it('drops a duplicate delivered to another app instance (the key is shared through Redis)', async () => {
    const id = randomUUID();
    await first.dispatch(`jobs/${id}/run`, {}, { qos: 1 });
    const duplicate = await second.dispatch(`jobs/${id}/run`, {}, { qos: 1 });
    expect(duplicate.error).toBeUndefined();
    expect(runs.filter((r) => r === id)).toHaveLength(1);
  });

  it('lets only one of two simultaneous deliveries run', async () => {
    const id = randomUUID();
    await Promise.all([first.dispatch(`jobs/${id}/run`, {}), second.dispatch(`jobs/${id}/run`, {})]);
    expect(runs.filter((r) => r === id)).toHaveLength(1);
  });
});
