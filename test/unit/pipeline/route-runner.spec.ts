import { RouteMQError } from '../../../src/errors';
import { RouteRunner } from '../../../src/pipeline/route-runner';
import type { ScheduledRetry } from '../../../src/retry/retry-scheduler';
import { messageOf, routeOf, runnerDeps } from '../support/routes';

const params = { id: 'd1' };

describe('RouteRunner', () => {
  it('runs a route once and reports its result', async () => {
    const { deps } = runnerDeps();
    const outcome = await new RouteRunner(
      routeOf(() => 'ok'),
      params,
      messageOf('devices/d1'),
      deps,
    ).start();
    expect(outcome).toMatchObject({ result: 'ok', attempts: 1 });
    expect(deps.stats.processed).toBe(1);
  });

  it('retries a failure, giving the handler the attempt number, then succeeds', async () => {
    const attempts: number[] = [];
    const route = routeOf((ctx) => {
      attempts.push(ctx.attempt);
      if (ctx.attempt < 3) throw new Error('transient');
      return 'third time';
    });
    const { deps } = runnerDeps();
    const outcome = await new RouteRunner(route, params, messageOf('devices/d1'), deps).start();
    expect(attempts).toEqual([1, 2, 3]);
    expect(outcome).toMatchObject({ result: 'third time', attempts: 3 });
    expect(deps.stats.retried).toBe(2);
  });

  it('dead-letters after the last attempt, with the original topic and the error code', async () => {
    const route = routeOf(() => {
      throw new RouteMQError('ERR_APP_STATE', 'always');
    });
    const { deps, published } = runnerDeps();
    const outcome = await new RouteRunner(route, params, messageOf('devices/d1'), deps).start();
    expect(outcome).toMatchObject({ attempts: 3, deadLettered: true });
    expect(published).toHaveLength(1);
    expect(published[0].topic).toBe('dead/devices/d1');
    expect(published[0].payload).toMatchObject({
      topic: 'devices/d1',
      attempts: 3,
      error: { code: 'ERR_APP_STATE' },
    });
  });

  it('refuses a payload over the route limit before the handler, without retries', async () => {
    let ran = false;
    const route = routeOf(() => (ran = true), { maxPayloadBytes: 4 });
    const { deps, published } = runnerDeps();
    const outcome = await new RouteRunner(route, params, messageOf('devices/d1', { big: 'x' }), deps).start();
    expect(ran).toBe(false);
    expect(outcome).toMatchObject({ attempts: 1, deadLettered: true });
    expect(deps.stats.rejected).toBe(1);
    expect(published[0].payload).toMatchObject({ error: { code: 'ERR_PAYLOAD_TOO_LARGE' } });
  });

  it('hands an ordinary failure to the retry scheduler with the next attempt, and is done', async () => {
    const scheduled: ScheduledRetry[] = [];
    const { deps } = runnerDeps({ scheduler: { schedule: async (retry) => void scheduled.push(retry) } });
    const route = routeOf(() => {
      throw new Error('later');
    });
    const outcome = await new RouteRunner(route, params, messageOf('devices/d1'), deps).start();
    expect(outcome).toMatchObject({ attempts: 1, rescheduled: true });
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]).toMatchObject({ route: 'Devices.handle', attempt: 2, params });
  });

  it('retries in place when the scheduler refuses the retry', async () => {
    const { deps } = runnerDeps({ scheduler: { schedule: () => Promise.reject(new Error('lane down')) } });
    const route = routeOf((ctx) => {
      if (ctx.attempt === 1) throw new Error('once');
      return 'in place';
    });
    const outcome = await new RouteRunner(route, params, messageOf('devices/d1'), deps).start();
    expect(outcome).toMatchObject({ result: 'in place', attempts: 2 });
  });

  it('resumes a retry at its attempt number, without counting the message as received again', async () => {
    const received: string[] = [];
    const watch = {
      received: () => void received.push('received'),
      attemptStarted: () => 0,
      attemptEnded: () => undefined,
      processed: () => undefined,
      failed: () => undefined,
      retried: () => undefined,
      deadLettered: () => undefined,
      rejected: () => undefined,
    };
    const seen: number[] = [];
    const route = routeOf((ctx) => void seen.push(ctx.attempt));
    const { deps } = runnerDeps();
    const outcome = await new RouteRunner(route, params, messageOf('devices/d1'), deps, watch).resume(2);
    expect(seen).toEqual([2]);
    expect(outcome.attempts).toBe(2);
    expect(received).toEqual([]);
  });

  it('withholds a message whose retry wait is cut short by stopping', async () => {
    const { deps, stop } = runnerDeps();
    let failed!: () => void;
    const firstFailure = new Promise<void>((resolve) => (failed = resolve));
    const route = routeOf(
      () => {
        failed();
        throw new Error('transient');
      },
      { retry: { attempts: 3, delayMs: 60_000, maxDelayMs: 60_000, retryable: () => true } },
    );
    const running = new RouteRunner(route, params, messageOf('devices/d1'), deps).start();
    await firstFailure;
    stop();
    await expect(running).resolves.toMatchObject({ attempts: 1, withheld: true });
  });
});
