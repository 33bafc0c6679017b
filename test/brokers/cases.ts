/**
 * The longer cases of the broker compatibility suite, one function each, returning their figures.
 * @module
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestClient } from '../utils/test-client';
import type { FixtureProcess } from '../utils/fixture-process';
import type { TestBroker } from './harness/broker-process';
import type { BrokerProfile } from './harness/local-brokers';
import { connectClient, eventually, killApp, startCompatApp } from './harness/app-process';

type Figures = Record<string, number | string>;

const MAIN = join(__dirname, '../../dist/main.js');

/** `node dist/main.js` (the example app) with MQTT_BROKER only: it must serve devices/{id}/status/get. */
export async function runExampleApp(broker: TestBroker, profile: BrokerProfile): Promise<Figures> {
  if (!existsSync(MAIN))
    throw new Error(`${MAIN} is missing: run "npm run build" first (test:brokers does).`);
  const dataDir = await mkdtemp(join(tmpdir(), 'routemq-example-'));
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', MQTT_BROKER: broker.url, DATA_DIR: dataDir },
    cwd: join(__dirname, '../..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const client = await connectClient(broker, profile.protocolVersion);
  try {
    await eventually(
      'the example app to serve its routes',
      () => output.includes('connected; serving'),
      120_000,
      () => output,
    );
    await client.subscribe('devices/+/status');
    await client.publish('devices/d1/status/get', {});
    expect((await client.next('devices/d1/status', 30_000)).json).toMatchObject({
      device_id: 'd1',
      seen: false,
    });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    return { exit: 0 };
  } finally {
    child.kill('SIGKILL');
    await client.close().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** 40 messages on a `shared: true, workers: 2` route: each handled once, by 2 processes where shared. */
export async function runSharedRoute(
  broker: TestBroker,
  profile: BrokerProfile,
  run: string,
): Promise<Figures> {
  const app = await startCompatApp(broker, run, { FIXTURE_SHARED_WORKERS: '2' });
  const client = await connectClient(broker, profile.protocolVersion);
  try {
    await client.subscribe(`${run}/out/jobs`);
    for (let n = 0; n < 40; n++) await client.publish(`${run}/jobs/${n}`, {});
    const outputs = (): { n: string; pid: number }[] =>
      client.received
        .filter((m) => m.topic === `${run}/out/jobs`)
        .map((m) => m.json as { n: string; pid: number });
    await eventually(
      '40 handled jobs',
      () => new Set(outputs().map((o) => o.n)).size === 40,
      60_000,
      app.output,
    );
    const pids = new Set(outputs().map((o) => o.pid));
    expect(outputs()).toHaveLength(40);
    if (profile.sharedSubscriptions) {
      expect(pids.size).toBe(2);
    } else {
      expect(pids.size).toBe(1);
      expect(app.output()).toContain('no shared subscriptions');
    }
    return {
      handled: outputs().length,
      processes: pids.size,
      mode: profile.sharedSubscriptions ? 'balanced' : 'in-process fallback',
    };
  } finally {
    await client.close().catch(() => undefined);
    expect(await app.stop()).toBe(0);
  }
}

const LOAD = 1000;

/** 1,000 QoS 1 messages, the app SIGKILLed mid-stream and restarted with its client id: 0 lost. */
export async function runSigkill(broker: TestBroker, profile: BrokerProfile, run: string): Promise<Figures> {
  const env = { MQTT_CLIENT_ID: `${run}-app`, FIXTURE_LOAD_DELAY_MS: '5' };
  let app = await startCompatApp(broker, run, env);
  const client = await connectClient(broker, profile.protocolVersion);
  const loads = (): string[] =>
    client.received.filter((m) => m.topic === `${run}/out/load`).map((m) => (m.json as { n: string }).n);
  try {
    await client.subscribe(`${run}/out/load`);
    // A burst, so that the kill lands while most of it is queued or in flight (5 ms per message).
    const burst = Array.from({ length: LOAD / 2 }, (_, n) => client.publish(`${run}/load/${n}`, {}));
    await eventually('the app to handle 100 messages', () => loads().length >= 100, 60_000, app.output);
    await killApp(app);
    const handledBeforeKill = new Set(loads()).size;
    await Promise.all(burst);
    for (let n = LOAD / 2; n < LOAD; n++) await client.publish(`${run}/load/${n}`, {});
    app = await startCompatApp(broker, run, env);
    // NATS redelivers what the killed session had in flight only after its ack_wait (30 s by default).
    await eventually(
      `all ${LOAD} messages handled`,
      () => new Set(loads()).size === LOAD,
      240_000,
      () => `handled ${new Set(loads()).size}\n${app.output().slice(-3000)}`,
    );
    const distinct = new Set(loads()).size;
    return { lost: LOAD - distinct, duplicates: loads().length - distinct, handledBeforeKill };
  } finally {
    await client.close().catch(() => undefined);
    await app.stop();
  }
}

/** Restarts the broker; the running app must reconnect and subscribe again by itself. */
export async function runBrokerRestart(
  broker: TestBroker,
  profile: BrokerProfile,
  app: FixtureProcess,
  run: string,
): Promise<Figures> {
  const before = app.output().length;
  await broker.restart();
  const restartedAt = Date.now();
  const client: TestClient = await connectClient(broker, profile.protocolVersion);
  try {
    await client.subscribe(`${run}/out/params`);
    const answered = (): boolean =>
      client.received.some((m) => (m.json as { device?: string } | undefined)?.device === 'after-restart');
    for (let k = 0; !answered(); k++) {
      if (Date.now() - restartedAt > 120_000)
        throw new Error(`no route answered after the restart\n${app.output().slice(before)}`);
      await client.publish(`${run}/params/after-restart/${k}`, {}).catch(() => undefined);
      await eventually('an answer', answered, 1000).catch(() => undefined);
    }
    const roundTripMs = Date.now() - restartedAt;
    const restored = /"downMs":(\d+)[^\n]*MQTT connection restored/.exec(app.output().slice(before));
    expect(restored).not.toBeNull();
    return { downMs: Number(restored?.[1]), firstRoutedAfterMs: roundTripMs };
  } finally {
    await client.close().catch(() => undefined);
  }
}
