import { createHash } from 'node:crypto';
import 'reflect-metadata';
import { Controller, Ctx, MessageContext, Module, Param, Topic } from 'routemq';
import { createTestApp, type TestApp } from 'routemq/testing';

const calls: Record<string, number> = {};
const count = (name: string) => (calls[name] = (calls[name] ?? 0) + 1);
let active = 0;
let maxActive = 0;
const attemptsSeen: number[] = [];
const laneLog: string[] = [];

function unavailable(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6390'), { code: 'ECONNREFUSED' });
}

async function overlapProbe(): Promise<void> {
  active++;
  maxActive = Math.max(maxActive, active);
  await new Promise((resolve) => setTimeout(resolve, 5));
  active--;
}

@Controller('rel')
class ReliabilityController {
  @Topic('flaky', { qos: 1 })
  flaky(@Ctx() ctx: MessageContext) {
    attemptsSeen.push(ctx.attempt);
    if (count('flaky') < 3) throw new Error('transient');
    return 'finally';
  }

  @Topic('poison', { qos: 1 })
  poison() {
    count('poison');
    throw new Error('always broken');
  }

  @Topic('small', { maxPayloadBytes: 10 })
  small() {
    count('small');
  }

  @Topic('quiet', { deadLetter: false })
  quiet() {
    throw new Error('only logged');
  }

  @Topic('custom', { deadLetter: 'ops/failed', retry: { attempts: 1 } })
  custom() {
    throw new Error('to ops');
  }

  @Topic('not-retryable', { retry: { attempts: 5, retryable: () => false } })
  notRetryable() {
    count('not-retryable');
    throw new Error('no point');
  }

  @Topic('outage', { retry: { attempts: 2 } })
  outage() {
    if (count('outage') <= 4) throw unavailable();
    return 'back';
  }

  @Topic('down', { retry: { attempts: 2 } })
  down() {
    count('down');
    throw unavailable();
  }

  @Topic('lane/{n}', { retry: { attempts: 2, delayMs: 200, maxDelayMs: 200 } })
  lane(@Param('n') n: string) {
    laneLog.push(n);
    if (n === 'slow-fail' && count('lane') === 1) throw new Error('once');
  }

  @Topic('serial/{n}')
  async serial() {
    await overlapProbe();
  }

  @Topic('parallel/{n}', { concurrency: 3 })
  async parallel() {
    await overlapProbe();
  }
}

@Module({ controllers: [ReliabilityController] })
class ReliabilityModule {}

describe('retries, dead letters and concurrency', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp(ReliabilityModule, { retryDelayMs: 1, retryMaxDelayMs: 5 });
  });
  afterAll(() => app.close());

  it('retries a failing message and succeeds on a later attempt, ctx.attempt counting', async () => {
    const { result, outcomes, published } = await app.dispatch('rel/flaky', {}, { qos: 1 });
    expect(result).toBe('finally');
    expect(outcomes[0].attempts).toBe(3);
    expect(attemptsSeen).toEqual([1, 2, 3]);
    expect(published).toEqual([]);
  });

  it('dead-letters a message that fails every attempt, once, with what is needed to replay it', async () => {
    const before = app.app.stats.deadLettered;
    const { error, outcomes, published } = await app.dispatch('rel/poison', { id: 7 }, { qos: 1 });
    expect((error as Error).message).toBe('always broken');
    expect(calls.poison).toBe(3);
    expect(outcomes[0]).toMatchObject({ attempts: 3, deadLettered: true });
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ topic: 'routemq/dead-letter/rel/poison', qos: 1 });
    expect(published[0].json).toMatchObject({
      topic: 'rel/poison',
      payload: '{"id":7}',
      payloadEncoding: 'utf8',
      payloadBytes: 8,
      error: { name: 'Error', message: 'always broken' },
      attempts: 3,
      route: 'ReliabilityController.poison',
      template: 'rel/poison',
      qos: 1,
    });
    expect(app.app.stats.deadLettered).toBe(before + 1);
  });

  it('rejects a payload above the limit before the handler, without retrying, and dead-letters it', async () => {
    const { error, outcomes, published } = await app.dispatch(
      'rel/small',
      Buffer.from([0xff, 0xfe, ...new Array(20).fill(1)]),
    );
    expect(error).toMatchObject({ code: 'ERR_PAYLOAD_TOO_LARGE' });
    expect(calls.small).toBeUndefined();
    expect(outcomes[0].attempts).toBe(1);
    // Size and hash, never the payload: 100 x 10 MB must not become 1 GB of dead letters.
    const payload = Buffer.from([0xff, 0xfe, ...new Array(20).fill(1)]);
    expect(published[0].json).toEqual(
      expect.objectContaining({
        payloadEncoding: 'omitted',
        payloadBytes: 22,
        payloadSha256: createHash('sha256').update(payload).digest('hex'),
        error: expect.objectContaining({ code: 'ERR_PAYLOAD_TOO_LARGE' }),
      }),
    );
    expect(published[0].json).not.toHaveProperty('payload');
    expect(app.app.stats.rejected).toBeGreaterThanOrEqual(1);
  });

  it('only logs when the route has deadLetter: false, and honours a custom dead-letter topic', async () => {
    expect((await app.dispatch('rel/quiet', {})).published).toEqual([]);
    const custom = await app.dispatch('rel/custom', {});
    expect(custom.published.map((m) => m.topic)).toEqual(['ops/failed']);
    expect(custom.outcomes[0].attempts).toBe(1);
  });

  it('does not retry what the route declares not retryable', async () => {
    await app.dispatch('rel/not-retryable', {});
    expect(calls['not-retryable']).toBe(1);
  });

  it('keeps retrying while a dependency is unavailable, beyond the attempt limit, until it is back', async () => {
    const { result, outcomes, published } = await app.dispatch('rel/outage', {});
    expect(result).toBe('back');
    expect(outcomes[0].attempts).toBe(5);
    expect(published).toEqual([]);
  });

  it('frees the route for the next message while a failed one waits to retry (no head-of-line block)', async () => {
    const first = app.dispatch('rel/lane/slow-fail', {});
    while (laneLog.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    await app.dispatch('rel/lane/next', {});
    expect(laneLog).toEqual(['slow-fail', 'next']);
    expect((await first).outcomes[0].attempts).toBe(2);
    expect(laneLog).toEqual(['slow-fail', 'next', 'slow-fail']);
  });

  it('runs a route one message at a time by default, and up to its concurrency when raised', async () => {
    maxActive = 0;
    await Promise.all([1, 2, 3, 4, 5].map((n) => app.dispatch(`rel/serial/${n}`, {})));
    expect(maxActive).toBe(1);
    maxActive = 0;
    await Promise.all([1, 2, 3, 4, 5, 6].map((n) => app.dispatch(`rel/parallel/${n}`, {})));
    expect(maxActive).toBe(3);
  });
});

describe('stopping while a dependency is down', () => {
  it('ends the retries and withholds the message (redelivery, not loss, not a dead letter)', async () => {
    const app = await createTestApp(ReliabilityModule, { retryDelayMs: 5, retryMaxDelayMs: 5 });
    const pending = app.dispatch('rel/down', {});
    while ((calls.down ?? 0) < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    await app.close();
    const { outcomes, published } = await pending;
    expect(outcomes[0]).toMatchObject({ withheld: true });
    expect(published).toEqual([]);
  });
});
