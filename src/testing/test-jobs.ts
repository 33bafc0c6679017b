import type { DependencyContainer } from 'tsyringe';
import { RouteMQError } from '../errors';
import type { JobClass } from '../jobs/job-decorator';
import type { JobDispatch } from '../jobs/job-queue';
import type { JobAttempt } from '../jobs/job-runner';
import { JobsIntegration } from '../jobs/jobs-integration';
import { MemoryJobDriver } from '../jobs/memory-driver';

/**
 * The background jobs of a test app: what was dispatched, what ran, and (with `jobs: { manual: true }`)
 * running them when the test says so.
 *
 * @example
 * ```ts
 * const t = await createTestApp(AppModule, { jobs: { manual: true } });
 * await t.dispatch('sensors/d1/data', { temperature: 95 });
 * expect(t.jobs.dispatchedOf(NotifyOperators)).toHaveLength(1);
 * await t.jobs.runAll();
 * ```
 */
export class TestJobs {
  readonly #dispatched: JobDispatch[] = [];
  readonly #attempts: JobAttempt[] = [];

  constructor(private readonly integration: JobsIntegration | undefined) {
    integration?.queue.onDispatch((d) => this.#dispatched.push(d));
    integration?.onAttempt((a) => this.#attempts.push(a));
  }

  /** The jobs integration of an app's container, if its modules list jobs. */
  static of(container: DependencyContainer): TestJobs {
    const registered = container.isRegistered(JobsIntegration, true);
    return new TestJobs(registered ? container.resolve(JobsIntegration) : undefined);
  }

  /** Every job stored so far, in order. */
  get dispatched(): readonly JobDispatch[] {
    return this.#dispatched;
  }

  /** Every attempt run in this process so far, in order (with its error when it failed). */
  get attempts(): readonly JobAttempt[] {
    return this.#attempts;
  }

  /** The dispatches of one job class. */
  dispatchedOf(job: JobClass<never>): JobDispatch[] {
    return this.#dispatched.filter((d) => d.jobClass === (job as JobClass));
  }

  /**
   * Runs every waiting and delayed job now, one at a time, retries included (without their backoff),
   * until none is left; resolves with the number of attempts run. In-process driver only.
   */
  runAll(): Promise<number> {
    const integration = this.#require();
    const runner = integration.runner;
    if (!(integration.driver instanceof MemoryJobDriver) || !runner) {
      throw new RouteMQError(
        'ERR_APP_STATE',
        'jobs.runAll() needs the in-process driver: leave REDIS_URL unset in the test app (use drain() with Redis).',
      );
    }
    return integration.driver.runAll(runner.workers());
  }

  /** Waits until no job of the app is waiting, delayed or running (workers on); rejects after timeoutMs. */
  async drain(timeoutMs = 10_000): Promise<void> {
    const queue = this.#require().queue;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const stats = Object.values(await queue.stats());
      if (stats.every((c) => c.waiting + c.delayed + c.active === 0)) return;
      if (Date.now() > deadline) {
        throw new Error(`jobs still pending after ${timeoutMs} ms: ${JSON.stringify(await queue.stats())}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  #require(): JobsIntegration {
    if (this.integration) return this.integration;
    throw new RouteMQError(
      'ERR_APP_STATE',
      'This app has no jobs: list @Job classes in @Module({ jobs: [...] }).',
    );
  }
}
