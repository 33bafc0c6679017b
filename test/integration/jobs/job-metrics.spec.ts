/** Job metrics on /metrics: queue depth per state, completed / failed / retried counters, durations. */
import { JobQueue } from '../../../src/index';
import { createTestApp, type TestApp } from '../../../src/testing/index';
import { Broken, Echo, JobsContractModule } from '../../contract/jobs/jobs-fixtures';

jest.setTimeout(30_000);

describe('job metrics', () => {
  let t: TestApp;
  afterEach(() => t?.close());

  it('counts completed, retried and failed attempts, durations, and jobs per queue and state', async () => {
    t = await createTestApp(JobsContractModule, { httpPort: 0, httpHost: '127.0.0.1' });
    const jobs = t.resolve(JobQueue);
    await jobs.dispatch(Echo, { n: 1 });
    await jobs.dispatch(Broken, {});
    await t.jobs.drain();
    const text = await (await fetch(`http://127.0.0.1:${t.app.httpPort}/metrics`)).text();
    expect(text).toContain('routemq_jobs_completed_total{queue="contract",job="Echo"} 1');
    expect(text).toContain('routemq_job_attempts_failed_total{queue="contract",job="Broken"} 1');
    expect(text).toContain('routemq_jobs_failed_total{queue="contract",job="Broken"} 1');
    expect(text).toContain('routemq_job_duration_seconds_count{queue="contract",job="Echo"} 1');
    expect(text).toContain('routemq_jobs{queue="contract",state="failed"} 1');
    expect(text).toContain('routemq_jobs{queue="contract",state="waiting"} 0');
  });
});
