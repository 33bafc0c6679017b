/**
 * `routemq jobs ...` against jobs that really failed in BullMQ (real Redis), and `routemq routes`
 * listing jobs. The commands run in-process (runCli) with the environment a user would give them.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Redis from 'ioredis';
import { COMMANDS } from '../../../src/cli/main';
import { runCli } from '../../../src/cli/program';
import { JobQueue } from '../../../src/index';
import { createTestApp, type TestApp } from '../../../src/testing/index';
import { recordingIo } from '../../unit/cli/cli-io';
import { AppModule, RejectedMail } from './fixtures/cli-jobs.module';

jest.setTimeout(60_000);

const REDIS_URL = process.env.TEST_JOBS_REDIS_URL ?? 'redis://127.0.0.1:6379/1';
const PREFIX = `rmq17-cli-${randomBytes(4).toString('hex')}`;
const ENV = { REDIS_URL, JOB_PREFIX: PREFIX };
const fixtures = join(__dirname, 'fixtures');
const entry = join(fixtures, 'cli-jobs.module.ts');

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function cli(...args: string[]) {
  const io = recordingIo(fixtures, ENV);
  const code = await runCli(args, COMMANDS, io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

describe('routemq jobs (BullMQ on a real Redis)', () => {
  let app: TestApp;
  let jobs: JobQueue;
  const failedCount = async () => (await jobs.stats())['cli-mail'].failed;

  beforeAll(async () => {
    app = await createTestApp(AppModule, { redisUrl: REDIS_URL, jobPrefix: PREFIX });
    jobs = app.resolve(JobQueue);
  });
  afterAll(async () => {
    await app.close();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${PREFIX}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('lists, shows, retries, removes and cleans failed jobs', async () => {
    const first = await jobs.dispatch(RejectedMail, { to: 'ops@example.com' });
    const second = await jobs.dispatch(RejectedMail, { to: 'noc@example.com' });
    await until(async () => (await failedCount()) === 2, 'two failed jobs');

    const failed = await cli('jobs', 'failed', '--entry', entry);
    expect(failed.code).toBe(0);
    expect(failed.out).toMatch(new RegExp(`^${first.id}\\s+cli-mail\\s+RejectedMail\\s+2\\s`, 'm'));
    expect(failed.out).toContain('mailbox noc@example.com is full (attempt 2)');

    const shown = await cli('jobs', 'show', first.id, '--queue', 'cli-mail');
    expect(shown.out).toContain('data:      {"to":"ops@example.com"}');
    expect(shown.out).toContain('state:     failed');
    expect(shown.out).toMatch(/stack:\n\s+Error: mailbox ops@example.com is full/);

    const runs = RejectedMail.runs;
    expect((await cli('jobs', 'retry', first.id, '--queue', 'cli-mail')).out).toContain(
      'moved back to waiting',
    );
    await until(
      async () => RejectedMail.runs === runs + 2 && (await failedCount()) === 2,
      'the retried job failed again',
    );

    expect((await cli('jobs', 'retry', '--all', '--queue', 'cli-mail')).out).toContain(
      'cli-mail: 2 failed job(s) retried',
    );
    await until(
      async () => RejectedMail.runs === runs + 6 && (await failedCount()) === 2,
      'both failed again',
    );

    expect((await cli('jobs', 'remove', second.id, '--queue', 'cli-mail')).code).toBe(0);
    expect(await failedCount()).toBe(1);
    expect((await cli('jobs', 'clean', '--failed', '--queue', 'cli-mail')).out).toContain(
      'removed 1 failed job(s)',
    );
    expect(await failedCount()).toBe(0);
  });

  it('says what is wrong for an unknown id, a non-failed job, and a missing REDIS_URL', async () => {
    const unknown = await cli('jobs', 'show', 'nope-1', '--queue', 'cli-mail');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/ERR_JOB_NOT_FOUND: no job "nope-1" in queue\(s\) cli-mail/);
    const io = recordingIo(fixtures, {});
    expect(await runCli(['jobs', 'failed', '--queue', 'cli-mail'], COMMANDS, io)).toBe(1);
    expect(io.stderr.join('\n')).toMatch(/ERR_JOBS_UNAVAILABLE: REDIS_URL is unset/);
    const work = recordingIo(fixtures, {});
    expect(await runCli(['work', entry], COMMANDS, work)).toBe(1);
    expect(work.stderr.join('\n')).toMatch(/ERR_JOBS_UNAVAILABLE: routemq work needs REDIS_URL/);
  });

  it('routemq routes lists the jobs and their queues', async () => {
    const table = await cli('routes', entry);
    expect(table.out).toMatch(/^Jobs:$/m);
    expect(table.out).toMatch(/^RejectedMail\s+cli-mail\s+2\s+fixed 10 ms\s+1\s+-\s+-$/m);
    expect(table.out).toMatch(
      /^NightlyReport\s+cli-reports\s+3\s+exponential 1000 ms\s+1\s+60000 ms\s+cron 0 3 \* \* \*$/m,
    );
    const json = JSON.parse((await cli('routes', entry, '--json')).out) as {
      jobs: { job: string; queue: string }[];
    };
    expect(json.jobs.map((j) => [j.job, j.queue])).toEqual([
      ['RejectedMail', 'cli-mail'],
      ['NightlyReport', 'cli-reports'],
    ]);
  });
});
