/**
 * The behaviour both job drivers must share (BullMQ on Redis, in-process): run through a real app
 * (createTestApp), so the container, the runner and the driver are all the real ones.
 */
import { randomUUID } from 'node:crypto';
import { JobQueue, isRouteMQError, type AppOptions } from '../../../src/index';
import { runInTrace } from '../../../src/observability/trace-context';
import { createTestApp, type TestApp } from '../../../src/testing/index';
import {
  Broken,
  Echo,
  Flaky,
  Gated,
  JobLog,
  JobsContractModule,
  RepeatModule,
  SendEmail,
  Sluggish,
} from './jobs-fixtures';

/** How a driver is set up: extra app options (REDIS_URL and a unique prefix for BullMQ). */
export interface JobDriverSetup {
  readonly kind: 'memory' | 'bullmq';
  options(): AppOptions;
  /** Removes what the run left (the Redis keys of its prefixes). */
  cleanup?(): Promise<void>;
}

/** Polls until `condition` holds (sync or async); fails naming `what` after a generous deadline. */
async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function runJobDriverContract(name: string, setup: JobDriverSetup): void {
  jest.setTimeout(30_000);
  describe(`job driver contract: ${name}`, () => {
    const apps: TestApp[] = [];
    const start = async (module = JobsContractModule, extra: AppOptions = {}) => {
      const t = await createTestApp(module, { ...setup.options(), ...extra });
      apps.push(t);
      return { t, log: t.resolve(JobLog), jobs: t.resolve(JobQueue) };
    };
    afterEach(async () => {
      for (const t of apps.splice(0)) await t.close();
    });
    afterAll(async () => {
      await setup.cleanup?.();
    });

    it(`uses the ${setup.kind} driver`, async () => {
      const { jobs } = await start();
      expect(jobs.driverKind).toBe(setup.kind);
    });

    it('runs a dispatched job once, with its data, id, queue and attempt', async () => {
      const { log, jobs } = await start();
      const stored = await jobs.dispatch(Echo, { n: 7 });
      expect(stored).toMatchObject({ name: 'Echo', queue: 'contract' });
      await waitUntil(() => log.of('Echo').length === 1, 'Echo ran');
      expect(log.of('Echo')[0]).toMatchObject({ id: stored.id, attempt: 1, data: { n: 7 } });
    });

    it('keeps a delayed job delayed, then runs it', async () => {
      const { log, jobs } = await start();
      await jobs.dispatch(Echo, { n: 1 }, { delayMs: 400 });
      expect((await jobs.stats()).contract.delayed).toBe(1);
      expect(await jobs.size(Echo)).toBe(1);
      await waitUntil(() => log.of('Echo').length === 1, 'the delayed job ran');
    });

    it('retries a failing job with its backoff until it succeeds', async () => {
      const { t, log, jobs } = await start();
      await jobs.dispatch(Flaky, {});
      await waitUntil(() => log.of('Flaky').length === 3, 'three attempts');
      await t.jobs.drain();
      expect(log.of('Flaky').map((r) => r.attempt)).toEqual([1, 2, 3]);
      const counts = (await jobs.stats()).contract;
      expect(counts.failed).toBe(0);
      expect(counts.completed).toBeGreaterThanOrEqual(1);
    });

    it('keeps a job that failed every attempt as failed, with its error; retry runs it again', async () => {
      const { t, log, jobs } = await start();
      const { id } = await jobs.dispatch(Broken, { order: 1 });
      await waitUntil(async () => (await jobs.stats()).contract.failed === 1, 'kept as failed');
      expect(log.of('Broken')).toHaveLength(2);
      const [failed] = await jobs.driver.failed('contract', 10);
      expect(failed).toMatchObject({ id, name: 'Broken', attemptsMade: 2, data: { order: 1 } });
      expect(failed.failedReason).toBe('the mail server said no');
      expect(await jobs.driver.retry('contract', id)).toBe(true);
      await waitUntil(() => log.of('Broken').length === 4, 'retried: two more attempts');
      await waitUntil(async () => (await jobs.stats()).contract.failed === 1, 'failed again');
      expect(await jobs.driver.remove('contract', id)).toBe(true);
      expect(await jobs.driver.find('contract', id)).toBeUndefined();
      await t.jobs.drain();
    });

    it('fails an attempt that exceeds timeoutMs with ERR_JOB_TIMEOUT and aborts its signal', async () => {
      const { log, jobs } = await start();
      const { id } = await jobs.dispatch(Sluggish, {});
      await waitUntil(async () => (await jobs.stats()).slow.failed === 1, 'failed by timeout');
      const job = await jobs.driver.find('slow', id);
      expect(job?.failedReason).toMatch(/timeoutMs \(150 ms\)/);
      expect(log.of('Sluggish.aborted')).toHaveLength(1);
    });

    it('adds a job once per jobId while it is kept', async () => {
      const { jobs } = await start(JobsContractModule, { jobWorkers: false });
      const a = await jobs.dispatch(Echo, { n: 1 }, { jobId: 'order-42' });
      const b = await jobs.dispatch(Echo, { n: 2 }, { jobId: 'order-42' });
      expect(b.id).toBe(a.id);
      expect(a.id).toBe('order-42');
      expect(await jobs.size('contract')).toBe(1);
      expect((await jobs.driver.find('contract', 'order-42'))?.data).toEqual({ n: 1 });
    });

    it('refuses unusable job ids and data that is not JSON', async () => {
      const { jobs } = await start();
      for (const jobId of ['', '123', 'a:b']) {
        await expect(jobs.dispatch(Echo, { n: 1 }, { jobId })).rejects.toMatchObject({
          code: 'ERR_JOB_DATA_INVALID',
        });
      }
      const cyclic: { n: number; self?: unknown } = { n: 1 };
      cyclic.self = cyclic;
      await expect(jobs.dispatch(Echo, cyclic)).rejects.toMatchObject({ code: 'ERR_JOB_DATA_INVALID' });
      expect(await jobs.size('contract')).toBe(0);
    });

    it('validates DTO data at dispatch, and gives the handler a DTO instance', async () => {
      const { log, jobs } = await start();
      const refused = await jobs
        .dispatch(SendEmail, { to: 42, priority: 0 } as never)
        .catch((e: unknown) => e);
      expect(isRouteMQError(refused, 'ERR_JOB_DATA_INVALID')).toBe(true);
      expect(String((refused as Error).message)).toMatch(/to|priority/);
      expect(await jobs.size('contract')).toBe(0);
      await jobs.dispatch(SendEmail, { to: 'ops@example.com', priority: 1 });
      await waitUntil(() => log.of('SendEmail').length === 1, 'SendEmail ran');
      expect(log.of('SendEmail')[0].data).toEqual({ isDto: true, to: 'ops@example.com' });
    });

    it('refuses a class that no module lists', async () => {
      const { jobs } = await start();
      class Stranger {
        handle(): void {}
      }
      await expect(jobs.dispatch(Stranger, {})).rejects.toMatchObject({ code: 'ERR_JOB_NOT_REGISTERED' });
    });

    it('stores many jobs at once and counts them per queue', async () => {
      const { t, log, jobs } = await start(JobsContractModule, { jobWorkers: false });
      const stored = await jobs.dispatchMany(Echo, [{ n: 1 }, { n: 2 }, { n: 3 }]);
      expect(new Set(stored.map((s) => s.id)).size).toBe(3);
      expect(await jobs.size('contract')).toBe(3);
      expect((await jobs.stats()).contract).toMatchObject({ waiting: 3, active: 0, failed: 0 });
      expect(log.runs).toHaveLength(0);
      expect(t.jobs.dispatchedOf(Echo).map((d) => d.data)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    });

    it('carries the trace of the dispatching message into the job', async () => {
      const { log, jobs } = await start();
      const trace = { traceId: randomUUID().replace(/-/g, ''), spanId: '00f067aa0ba902b7', flags: 1 };
      await runInTrace(trace, () => jobs.dispatch(Echo, { n: 5 }));
      await waitUntil(() => log.of('Echo').length === 1, 'Echo ran');
      expect(log.of('Echo')[0].traceId).toBe(trace.traceId);
    });

    it('runs a repeatable job on its schedule', async () => {
      const { log } = await start(RepeatModule);
      await waitUntil(() => log.of('Tick').length >= 2, 'two ticks');
      expect(log.of('Tick')[0].data).toEqual({ tick: true });
    });

    it('on stop, takes no new job and waits for the running one', async () => {
      const { t, log, jobs } = await start();
      await jobs.dispatch(Gated, { key: 'first' });
      await waitUntil(() => log.gates.has('first'), 'first job started');
      const stopped = t.close();
      await jobs.dispatch(Gated, { key: 'second' }).catch(() => undefined);
      setTimeout(() => log.gates.get('first')?.(), 100);
      await stopped;
      apps.length = 0;
      expect(log.of('Gated.finished').map((r) => r.data)).toEqual([{ key: 'first' }]);
      expect(log.of('Gated.started')).toHaveLength(1);
    });
  });
}
