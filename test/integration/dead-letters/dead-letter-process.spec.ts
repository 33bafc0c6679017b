/**
 * Dead letters end to end, with the app as a real process on a private Mosquitto: a dead letter is in
 * the store before its message is acknowledged (a kill in between loses nothing), and the CLI lists,
 * shows, replays and deletes them against a running app.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { COMMANDS } from '../../../src/cli/main';
import { runCli } from '../../../src/cli/program';
import type { CliIo } from '../../../src/cli/io';
import type { DeadLetterRecord } from '../../../src/dead-letters/dead-letter-record';
import { startFixture, type FixtureProcess } from '../../utils/fixture-process';
import { startMosquitto, type MosquittoInstance } from '../../utils/mosquitto';
import { startStallProxy } from '../../utils/stall-proxy';
import { TestClient } from '../../utils/test-client';
import { requireService, TEST_REDIS_URL } from '../integrations/support/services';

jest.setTimeout(90_000);

const REDIS_DB = 10;
const STREAM = 'routemq:dead-letters';

let broker: MosquittoInstance;
const running: FixtureProcess[] = [];

beforeAll(async () => {
  broker = await startMosquitto('max_queued_messages 10000');
});
afterEach(async () => {
  for (const app of running.splice(0)) {
    if (app.child.exitCode === null) app.child.kill('SIGKILL');
  }
});
afterAll(() => broker.stop());

function startApp(env: Record<string, string>): FixtureProcess {
  const app = startFixture('dead-letter-app', { MQTT_BROKER: broker.url, RETRY_ATTEMPTS: '1', ...env });
  running.push(app);
  return app;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('a dead letter is stored before its message is acknowledged', () => {
  requireService('redis');

  it('survives a kill between the failure and the store write: the broker redelivers it', async () => {
    const redis = new Redis(`${TEST_REDIS_URL}/${REDIS_DB}`);
    await redis.del(STREAM, `${STREAM}:replays`);
    const proxy = await startStallProxy(Number(new URL(TEST_REDIS_URL).port || 6379));
    const env = {
      MQTT_CLIENT_ID: `dl-kill-${process.pid}`,
      REDIS_URL: `redis://127.0.0.1:${proxy.port}/${REDIS_DB}`,
      REDIS_COMMAND_TIMEOUT_MS: '300',
      DEAD_LETTER_STORE: 'redis',
    };
    const device = await TestClient.connect(broker.url);
    try {
      const first = startApp(env);
      await first.waitFor('connected; serving');
      proxy.stall();
      await device.publish('orders/o1/created', { poison: true });
      await first.waitFor('dead letter not kept yet');
      first.child.kill('SIGKILL');
      await new Promise((resolve) => first.child.once('exit', resolve));
      expect(await redis.xlen(STREAM)).toBe(0);

      proxy.resume();
      const second = startApp(env);
      await second.waitFor('connected; serving');
      await until(
        () => redis.xlen(STREAM),
        (n) => n >= 1,
        'the redelivered message in the store',
      );
      const [[, fields]] = (await redis.xrange(STREAM, '-', '+')) as [string, string[]][];
      const letter = JSON.parse(fields[1]) as DeadLetterRecord;
      expect(letter).toMatchObject({ topic: 'orders/o1/created', route: 'OrderController.created' });
    } finally {
      await device.close();
      await proxy.close();
      await redis.del(STREAM, `${STREAM}:replays`);
      redis.disconnect();
    }
  });
});

describe('routemq dead-letters against a running app (file store under DATA_DIR)', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'routemq-dl-cli-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const io: CliIo = {
      cwd: dataDir,
      env: { MQTT_BROKER: broker.url, DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
      out: (text) => (out += `${text}\n`),
      err: (text) => (err += `${text}\n`),
    };
    return runCli(['dead-letters', ...args], COMMANDS, io).then((code) => ({ code, out, err }));
  }

  async function list(): Promise<DeadLetterRecord[]> {
    const { code, out, err } = await cli(['list', '--json']);
    if (code !== 0) throw new Error(err);
    return JSON.parse(out) as DeadLetterRecord[];
  }

  it('lists, shows, replays once (no loop without --force) and deletes', async () => {
    const device = await TestClient.connect(broker.url);
    await device.subscribe('processed/#');
    try {
      const buggy = startApp({ DATA_DIR: dataDir, MQTT_CLIENT_ID: `dl-cli-${process.pid}` });
      await buggy.waitFor('connected; serving');
      await device.publish(
        'orders/o1/created',
        { poison: true },
        { properties: { userProperties: { tenant: 't1' } } },
      );
      await device.publish('orders/o2/created', { poison: true });
      const [r2, r1] = await until(list, (records) => records.length === 2, 'two dead letters');
      expect(r1).toMatchObject({
        topic: 'orders/o1/created',
        properties: { userProperties: { tenant: 't1' } },
      });

      const shown = await cli(['show', r1.id]);
      expect(shown.out).toContain('cannot handle this order yet');
      expect((await cli(['stats'])).out).toContain('2 dead letters');

      // Replayed while the bug is still there: it fails again, as a new record of the same message.
      expect((await cli(['replay', r1.id])).out).toContain('replayed 1');
      await until(list, (records) => records.length === 3, 'the replay failing again');
      const dry = await cli(['replay', '--all', '--dry-run', '--json']);
      const report = JSON.parse(dry.out) as { replayed: string[]; skipped: { id: string; reason: string }[] };
      expect(report.replayed).toEqual([r2.id]);
      expect(report.skipped.map((s) => s.reason).join('\n')).toMatch(/replayed already[\s\S]*failed again/);

      // The bug is fixed: replays are processed normally.
      await buggy.stop();
      const fixedApp = startApp({
        DATA_DIR: dataDir,
        MQTT_CLIENT_ID: `dl-cli-${process.pid}`,
        FIXTURE_FIXED: '1',
      });
      await fixedApp.waitFor('connected; serving');
      const again = (await list()).find(
        (r) => r.id !== r1.id && r.topic === 'orders/o1/created',
      ) as DeadLetterRecord;
      expect((await cli(['replay', again.id])).out).toContain('skipped 1');
      expect((await cli(['replay', again.id, '--force'])).out).toContain('replayed 1');
      expect((await cli(['replay', r2.id])).out).toContain('replayed 1');
      await device.next('processed/o1', 15_000);
      await device.next('processed/o2', 15_000);
      expect((await cli(['replay', r2.id])).out).toContain('replayed already');

      expect((await cli(['delete', r1.id])).out).toContain('deleted 1');
      expect((await cli(['delete', '--all', '--route', 'OrderController.created'])).out).toContain(
        'deleted 2',
      );
      expect(await list()).toEqual([]);
      const missing = await cli(['show', r1.id]);
      expect(missing.code).toBe(1);
      expect(missing.err).toContain('ERR_DEAD_LETTER_NOT_FOUND');
    } finally {
      await device.close();
    }
  });
});
