import { randomUUID } from 'node:crypto';
import { describeExternalBroker, externalBrokerUrl } from '../../utils/external-broker';
import { TestClient } from '../../utils/test-client';
import { startWorkersApp, type AppProcess } from './app-process';

interface Report {
  readonly route: string;
  readonly id: string;
  readonly pid: number;
}

/** A run: its own topic prefix and share group, a client publishing and collecting the reports. */
async function openRun() {
  const run = `w-${randomUUID().slice(0, 8)}`;
  const client = await TestClient.connect(externalBrokerUrl());
  await client.subscribe(`${run}/processed`);
  const reports = (): Report[] =>
    client.received.filter((m) => m.topic === `${run}/processed`).map((m) => m.json as Report);
  const env = (extra: Record<string, string>) => ({
    MQTT_BROKER: externalBrokerUrl(),
    MQTT_GROUP_NAME: run,
    FIXTURE_RUN: run,
    ...extra,
  });
  const publish = async (route: string, from: number, to: number) => {
    for (let i = from; i < to; i++) await client.publish(`${run}/${route}/${i}`, { i });
  };
  const waitForReports = async (count: number, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    while (uniqueIds(reports()).size < count) {
      if (Date.now() > deadline)
        throw new Error(`only ${uniqueIds(reports()).size} of ${count} messages processed`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  return { run, client, reports, env, publish, waitForReports };
}

function uniqueIds(reports: readonly Report[]): Set<string> {
  return new Set(reports.map((r) => `${r.route}/${r.id}`));
}

function countBy<T>(items: readonly T[], key: (item: T) => string | number): Map<string | number, number> {
  const counts = new Map<string | number, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

// Forking and connecting several worker processes takes seconds on a loaded machine.
jest.setTimeout(120_000);

describeExternalBroker('worker processes on shared routes (Mosquitto)', () => {
  const apps: AppProcess[] = [];
  const clients: TestClient[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.stop()));
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });

  it('spreads one shared route over 3 worker processes: each message once, none starved', async () => {
    const r = await openRun();
    clients.push(r.client);
    const app = startWorkersApp(r.env({ WORKERS_A: '3' }));
    apps.push(app);
    await app.waitFor('all workers ready');
    await r.publish('a', 0, 300);
    await r.waitForReports(300);
    const reports = r.reports().filter((x) => x.route === 'a');
    expect(reports).toHaveLength(300);
    expect(uniqueIds(reports).size).toBe(300);
    const perPid = countBy(reports, (x) => x.pid);
    expect(perPid.size).toBe(3);
    for (const count of perPid.values()) expect(count).toBeGreaterThanOrEqual(60);
  });

  it('honours workers per route, and serves a route that is not shared once', async () => {
    const r = await openRun();
    clients.push(r.client);
    const app = startWorkersApp(r.env({ WORKERS_A: '2', WORKERS_B: '1' }));
    apps.push(app);
    await app.waitFor('all workers ready');
    await r.publish('a', 0, 60);
    await r.publish('b', 0, 30);
    await r.publish('c', 0, 30);
    await r.waitForReports(120);
    const byRoute = (route: string) => r.reports().filter((x) => x.route === route);
    expect(new Set(byRoute('a').map((x) => x.pid)).size).toBe(2);
    expect(new Set(byRoute('b').map((x) => x.pid)).size).toBe(1);
    expect(new Set(byRoute('c').map((x) => x.pid)).size).toBe(1);
    expect(byRoute('c')).toHaveLength(30);
    expect(uniqueIds(byRoute('c')).size).toBe(30);
    expect(app.output()).toContain('worker 1 serves WorkController.a"');
  });

  it('restarts a SIGKILLed worker, and with persistent sessions loses nothing', async () => {
    const r = await openRun();
    clients.push(r.client);
    const app = startWorkersApp(r.env({ WORKERS_A: '3', MQTT_CLIENT_ID: `${r.run}-app` }));
    apps.push(app);
    await app.waitFor('all workers ready');
    await r.publish('a', 0, 90);
    await r.waitForReports(90);
    const victim = r.reports()[0].pid;
    process.kill(victim, 'SIGKILL');
    await r.publish('a', 90, 300);
    await app.waitFor('"restarts":1');
    await r.waitForReports(300, 30_000);
    expect(uniqueIds(r.reports().filter((x) => x.route === 'a')).size).toBe(300);
    expect(app.output()).toMatch(/worker \d exited; restarting/);
    const pidsAfterKill = new Set(
      r
        .reports()
        .slice(90)
        .map((x) => x.pid),
    );
    expect(pidsAfterKill.has(victim)).toBe(false);
    expect(pidsAfterKill.size).toBe(3);
  });

  it('shares a group between two app instances (two supervisors, as on two machines)', async () => {
    const r = await openRun();
    clients.push(r.client);
    const first = startWorkersApp(r.env({ WORKERS_A: '2', MQTT_CLIENT_ID: `${r.run}-host1` }));
    const second = startWorkersApp(r.env({ WORKERS_A: '2', MQTT_CLIENT_ID: `${r.run}-host2` }));
    apps.push(first, second);
    await Promise.all([first.waitFor('all workers ready'), second.waitFor('all workers ready')]);
    await r.publish('a', 0, 200);
    await r.waitForReports(200);
    const reports = r.reports().filter((x) => x.route === 'a');
    expect(reports).toHaveLength(200);
    expect(countBy(reports, (x) => x.pid).size).toBe(4);
  });

  it('drains every worker on SIGTERM and exits 0', async () => {
    const r = await openRun();
    clients.push(r.client);
    const app = startWorkersApp(r.env({ WORKERS_A: '2' }));
    await app.waitFor('all workers ready');
    expect(await app.stop()).toBe(0);
    expect(app.output().match(/worker \d stopped/g)).toHaveLength(2);
  });
});
