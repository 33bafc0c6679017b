/**
 * The SIGKILL scenario of the embedded broker: a device publishes 1,000 QoS 1 readings as fast as it
 * can to an app on its embedded broker; the app is killed with SIGKILL while the broker holds a
 * backlog it acknowledged, then started again. A reading is lost when the broker acknowledged it to
 * the device and the app never processed it.
 */
import { Redis } from 'ioredis';
import { connectAsync } from 'mqtt';
import { startFixture, type FixtureProcess } from '../../utils/fixture-process';
import { freePort } from '../../utils/free-port';

/** What one run observed. */
export interface KillOutcome {
  readonly acknowledged: number;
  readonly processedAtKill: number;
  readonly processed: number;
  readonly lost: number;
  /** The restarted app's log, for the failure message. */
  readonly appLog: string;
}

const READINGS = 1000;
const SET_KEY = 'routemq:kill-test:processed';

/**
 * Runs the scenario. The fixture records what it processed in `redisUrl`; `durable` also gives it to
 * the app as REDIS_URL, so that the embedded broker keeps its state there.
 */
export async function runKillScenario(redisUrl: string, durable: boolean): Promise<KillOutcome> {
  const redis = new Redis(redisUrl);
  await redis.flushdb();
  const port = await freePort();
  const env = {
    MQTT_PORT: String(port),
    MQTT_CLIENT_ID: 'kill-app',
    MQTT_USERNAME: 'device',
    MQTT_PASSWORD: 'kill-pw',
    FIXTURE_REDIS: redisUrl,
    FIXTURE_SET: SET_KEY,
    ...(durable ? { REDIS_URL: redisUrl } : {}),
  };
  let app: FixtureProcess = startFixture('embedded-kill-app', env);
  const device = await connectDevice(app, port);
  try {
    const acked = new Set<number>();
    for (let i = 0; i < READINGS; i++) {
      device.publish(`kill/readings/${i}`, String(i), { qos: 1 }, (error) => {
        if (!error) acked.add(i);
      });
    }
    const processed = (): Promise<number> => redis.scard(SET_KEY);
    // Kill while the broker holds at least 100 readings it acknowledged and the app has not processed.
    await poll('a backlog', async () => acked.size >= 300 && acked.size - (await processed()) >= 100);
    app.child.kill('SIGKILL');
    await new Promise((resolve) => app.child.once('exit', resolve));
    const processedAtKill = await processed();
    app = startFixture('embedded-kill-app', env);
    await app.waitFor('connected; serving', 30_000);
    await poll('every reading acknowledged', () => Promise.resolve(acked.size === READINGS));
    const missing = async (): Promise<number[]> => {
      const done = new Set((await redis.smembers(SET_KEY)).map(Number));
      return [...acked].filter((id) => !done.has(id));
    };
    // Done when every acknowledged reading was processed, or nothing changed for three seconds.
    let before = -1;
    let still = 0;
    await poll('processing to settle', async () => {
      const left = (await missing()).length;
      still = left === before ? still + 1 : 0;
      before = left;
      return left === 0 || still >= 15;
    });
    const lost = (await missing()).length;
    const done = { size: await processed() };
    return { acknowledged: acked.size, processedAtKill, processed: done.size, lost, appLog: app.output() };
  } finally {
    await device.endAsync(true);
    await app.stop();
    await redis.quit();
  }
}

/** Polls an async condition every 200 ms for up to 90 s. */
async function poll(what: string, condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function connectDevice(app: FixtureProcess, port: number) {
  await app.waitFor('connected; serving', 30_000);
  return connectAsync(`mqtt://127.0.0.1:${port}`, {
    ...{ clientId: 'kill-device', clean: false, protocolVersion: 4, reconnectPeriod: 200 },
    ...{ username: 'device', password: 'kill-pw' },
  });
}
