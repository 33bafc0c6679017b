import 'reflect-metadata';
import {
  Controller,
  Module,
  Param,
  Topic,
  UseMiddleware,
  RateLimit,
  type MessageContext,
  isRouteMQError,
} from 'routemq';
import { createTestApp } from 'routemq/testing';
import { encodeKeyPart } from '../../../src/middleware/rate-limit-key';

@Controller('rl')
class LimitedController {
  static runs: string[] = [];

  @Topic('route/{id}', { qos: 1 })
  @UseMiddleware(RateLimit({ limit: 2, windowMs: 60_000 }))
  route(@Param('id') id: string) {
    LimitedController.runs.push(`route:${id}`);
  }

  @Topic('device/{id}', { qos: 1 })
  @UseMiddleware(RateLimit({ limit: 1, windowMs: 60_000, key: { param: 'id' }, algorithm: 'fixed-window' }))
  device(@Param('id') id: string) {
    LimitedController.runs.push(`device:${id}`);
  }

  @Topic('client', { qos: 1 })
  @UseMiddleware(RateLimit({ limit: 1, windowMs: 60_000, key: 'client', algorithm: 'token-bucket' }))
  client() {
    LimitedController.runs.push('client');
  }

  @Topic('dlq/{id}', { qos: 1 })
  @UseMiddleware(RateLimit({ limit: 1, windowMs: 60_000, onLimit: 'dead-letter', key: 'topic' }))
  dlq(@Param('id') id: string) {
    LimitedController.runs.push(`dlq:${id}`);
  }

  @Topic('custom/{id}', { qos: 1 })
  @UseMiddleware(
    RateLimit({
      limit: 1,
      windowMs: 60_000,
      key: (ctx: MessageContext) => (ctx.params.id === 'vip' ? undefined : 'everyone'),
    }),
  )
  custom(@Param('id') id: string) {
    LimitedController.runs.push(`custom:${id}`);
  }

  @Topic('shared-a', { qos: 1 })
  @UseMiddleware(RateLimit({ limit: 1, windowMs: 60_000, name: 'shared' }))
  sharedA() {
    LimitedController.runs.push('shared-a');
  }

  @Topic('shared-b', { qos: 1 })
  @UseMiddleware(RateLimit({ limit: 1, windowMs: 60_000, name: 'shared' }))
  sharedB() {
    LimitedController.runs.push('shared-b');
  }
}

@Module({ controllers: [LimitedController] })
class LimitedModule {}

describe('RateLimit middleware (in-process store)', () => {
  beforeEach(() => (LimitedController.runs = []));

  it('drops what exceeds the route budget: acknowledged, not retried, the handler does not run', async () => {
    const t = await createTestApp(LimitedModule);
    const results = [];
    for (const id of ['a', 'b', 'c', 'd']) results.push(await t.dispatch(`rl/route/${id}`, {}, { qos: 1 }));
    await t.close();
    expect(LimitedController.runs).toEqual(['route:a', 'route:b']);
    expect(results.map((r) => [r.error, r.outcomes[0].attempts])).toEqual([
      [undefined, 1],
      [undefined, 1],
      [undefined, 1],
      [undefined, 1],
    ]);
    expect(t.published).toEqual([]);
  });

  it('keys budgets by topic parameter, client id user property, topic, or a function', async () => {
    const t = await createTestApp(LimitedModule);
    for (const id of ['d1', 'd1', 'd2', 'd2']) await t.dispatch(`rl/device/${id}`, {});
    const from = (client: string) => ({ properties: { userProperties: { client_id: client } } });
    for (const client of ['c1', 'c1', 'c2']) await t.dispatch('rl/client', {}, from(client));
    await t.dispatch('rl/client', {}); // no client id: the shared "unknown" budget
    await t.dispatch('rl/client', {});
    for (const id of ['x', 'y', 'vip', 'vip']) await t.dispatch(`rl/custom/${id}`, {});
    await t.close();
    expect(LimitedController.runs).toEqual([
      'device:d1',
      'device:d2',
      'client',
      'client',
      'client',
      'custom:x',
      'custom:vip',
      'custom:vip',
    ]);
  });

  it('dead-letters with ERR_RATE_LIMITED when configured, after one attempt', async () => {
    const t = await createTestApp(LimitedModule);
    await t.dispatch('rl/dlq/1', {}, { qos: 1 });
    const second = await t.dispatch('rl/dlq/1', {}, { qos: 1 });
    const other = await t.dispatch('rl/dlq/2', {}, { qos: 1 });
    await t.close();
    expect(isRouteMQError(second.error, 'ERR_RATE_LIMITED')).toBe(true);
    expect(second.outcomes[0]).toMatchObject({ attempts: 1, deadLettered: true });
    expect(second.published.map((m) => m.topic)).toEqual(['routemq/dead-letter/rl/dlq/1']);
    expect(second.published[0].json).toMatchObject({ error: { code: 'ERR_RATE_LIMITED' } });
    expect(other.error).toBeUndefined();
    expect(LimitedController.runs).toEqual(['dlq:1', 'dlq:2']);
  });

  it('lets routes with the same name share one budget', async () => {
    const t = await createTestApp(LimitedModule);
    await t.dispatch('rl/shared-a', {});
    await t.dispatch('rl/shared-b', {});
    await t.close();
    expect(LimitedController.runs).toEqual(['shared-a']);
  });

  it('refuses bad options when the route is declared', () => {
    expect(() => RateLimit({ limit: 0, windowMs: 1000 })).toThrow(/limit must be a whole number/);
    expect(() => RateLimit({ limit: 1, windowMs: 1.5, burst: -1 })).toThrow(/windowMs.*\n.*burst/s);
    expect(() => RateLimit({ limit: 1, windowMs: 1, algorithm: 'leaky' as 'fixed-window' })).toThrow(
      /algorithm must be/,
    );
  });

  it('encodes keys so that separators cannot make two budgets collide, and bounds their length', () => {
    expect(encodeKeyPart('a:b')).not.toBe(encodeKeyPart('a') + ':' + encodeKeyPart('b'));
    expect(encodeKeyPart('a:b')).toBe('a%3Ab');
    expect(encodeKeyPart('x'.repeat(1000))).toMatch(/^sha256=[\w-]{43}$/);
    expect(encodeKeyPart('sha256=abc')).not.toMatch(/^sha256=/);
  });
});
