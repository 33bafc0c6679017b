import pino from 'pino';
import { Dispatcher } from '../../../src/pipeline/dispatcher';
import type { ExecutableRoute } from '../../../src/pipeline/executable-route';
import type { PublishFn } from '../../../src/pipeline/message-context';
import { RouteTable } from '../../../src/routing/route-table';
import { parseTemplate } from '../../../src/routing/topic-template';
import type { ScheduledRetry } from '../../../src/retry/retry-scheduler';
import { messageOf, routeOf } from '../support/routes';

function compiled(template: string) {
  const parsed = parseTemplate(template);
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  return parsed.compiled;
}

const publish: PublishFn = () => Promise.resolve();

function dispatcherOf(routes: readonly [string, ExecutableRoute][]): Dispatcher {
  const table = new RouteTable(
    routes.map(([template, route]) => ({ compiled: compiled(template), qos: 1 as const, route })),
  );
  return new Dispatcher(table, {
    logger: pino({ level: 'silent' }),
    publish,
    useSubscriptionIds: false,
    routes: routes.map(([, route]) => route),
  });
}

describe('Dispatcher', () => {
  it('runs every matching route once, with its own parameters, and acknowledges', async () => {
    const seen: string[] = [];
    const dispatcher = dispatcherOf([
      ['devices/{id}', routeOf((ctx) => void seen.push(`one ${ctx.params.id}`))],
      [
        'devices/+',
        routeOf(() => void seen.push('two'), {
          info: { template: 'devices/+', filter: 'devices/+', handler: 'B.two' },
        }),
      ],
    ]);
    await expect(dispatcher.handle(messageOf('devices/d7'))).resolves.toBe('acknowledge');
    expect(seen.sort()).toEqual(['one d7', 'two']);
    expect(dispatcher.stats).toMatchObject({ received: 1, processed: 2 });
  });

  it('counts a topic no route matches and acknowledges it', async () => {
    const dispatcher = dispatcherOf([['devices/{id}', routeOf(() => undefined)]]);
    await expect(dispatcher.handle(messageOf('other/x'))).resolves.toBe('acknowledge');
    expect(dispatcher.stats.unmatched).toBe(1);
  });

  it('withholds messages once intake stopped (the broker redelivers them)', async () => {
    const dispatcher = dispatcherOf([['devices/{id}', routeOf(() => undefined)]]);
    dispatcher.stopIntake();
    await expect(dispatcher.handle(messageOf('devices/d1'))).resolves.toBe('withhold');
    expect(dispatcher.stats.withheld).toBe(1);
  });

  it('runs a retry handed back by the lane on its route only, at its attempt', async () => {
    const attempts: number[] = [];
    const dispatcher = dispatcherOf([['devices/{id}', routeOf((ctx) => void attempts.push(ctx.attempt))]]);
    const retry: ScheduledRetry = {
      route: 'Devices.handle',
      message: messageOf('devices/d1'),
      params: { id: 'd1' },
      attempt: 3,
      notBefore: 0,
    };
    await expect(dispatcher.runAgain(retry)).resolves.toBe('acknowledge');
    expect(attempts).toEqual([3]);
    expect(dispatcher.runAgain({ ...retry, route: 'Renamed.handler' })).toBeUndefined();
  });

  it('hands failures to the retry scheduler it was given', async () => {
    const scheduled: ScheduledRetry[] = [];
    const dispatcher = dispatcherOf([['devices/{id}', routeOf(() => Promise.reject(new Error('later')))]]);
    dispatcher.useRetryScheduler({ schedule: async (retry) => void scheduled.push(retry) });
    await expect(dispatcher.handle(messageOf('devices/d1'))).resolves.toBe('acknowledge');
    expect(scheduled.map((r) => r.attempt)).toEqual([2]);
  });

  it('drains: resolves once the runs in flight finished', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const dispatcher = dispatcherOf([['devices/{id}', routeOf(() => gate)]]);
    const handled = dispatcher.handle(messageOf('devices/d1'));
    expect(dispatcher.inFlight).toBe(1);
    dispatcher.stopIntake();
    const drained = dispatcher.drain(60_000);
    release();
    await expect(drained).resolves.toBe(true);
    await expect(handled).resolves.toBe('acknowledge');
  });
});
