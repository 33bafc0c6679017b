import type { RouteDefinition } from '../../../src/metadata/route-definition';
import { needsWorkers, planWorkers } from '../../../src/workers/worker-plan';
import { CrashHistory } from '../../../src/workers/restart-policy';
import { currentWorker } from '../../../src/workers/worker-env';

const route = (handlerName: string, shared: boolean, workers: number) =>
  ({ handlerName, shared, workers }) as unknown as RouteDefinition;

describe('planWorkers', () => {
  it('gives each shared route its own number of processes and non-shared routes to worker 0 only', () => {
    const plan = planWorkers([route('A.a', true, 3), route('B.b', true, 1), route('C.c', false, 1)]);
    expect(plan).toEqual([
      { index: 0, routes: ['A.a', 'B.b', 'C.c'] },
      { index: 1, routes: ['A.a'] },
      { index: 2, routes: ['A.a'] },
    ]);
  });

  it('needs workers only when a shared route asks for more than one', () => {
    expect(needsWorkers([route('A.a', true, 1), route('C.c', false, 1)])).toBe(false);
    expect(needsWorkers([route('A.a', true, 2)])).toBe(true);
  });
});

describe('CrashHistory', () => {
  const policy = { minDelayMs: 100, maxDelayMs: 1000, maxCrashes: 3, windowMs: 10_000 };

  it('backs off exponentially and gives up after too many crashes in the window', () => {
    const history = new CrashHistory(policy);
    expect([history.recordCrash(0), history.recordCrash(1), history.recordCrash(2)]).toEqual([100, 200, 400]);
    expect(history.recordCrash(3)).toBeUndefined();
  });

  it('forgets crashes older than the window', () => {
    const history = new CrashHistory(policy);
    history.recordCrash(0);
    history.recordCrash(1);
    history.recordCrash(2);
    expect(history.recordCrash(20_000)).toBe(100);
  });
});

describe('currentWorker', () => {
  it('reads the worker index and stable client id the supervisor passes', () => {
    expect(currentWorker({ ROUTEMQ_WORKER_INDEX: '2', ROUTEMQ_WORKER_CLIENT_BASE: 'app-host1' })).toEqual({
      index: 2,
      clientId: 'app-host1-w2',
    });
    expect(currentWorker({})).toBeUndefined();
  });
});
