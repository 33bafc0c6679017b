import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Controller, createApp, Module, Param, Topic, type RouteMQApp } from 'routemq';
import { describeExternalBroker, externalBrokerUrl } from '../../utils/external-broker';
import { TestClient } from '../../utils/test-client';

const events: string[] = [];
const failures = new Map<string, number>();

@Controller('lane')
class LaneController {
  /** Fails the first attempt of every message, then succeeds; long backoff to make the wait visible. */
  @Topic('flaky/{id}', { qos: 1, retry: { attempts: 3, delayMs: 400, maxDelayMs: 400 } })
  flaky(@Param('id') id: string) {
    const seen = (failures.get(id) ?? 0) + 1;
    failures.set(id, seen);
    events.push(`flaky ${id} attempt ${seen}`);
    if (id.startsWith('poison') || seen === 1) throw new Error(`failure ${seen}`);
  }

  @Topic('healthy/{id}', { qos: 1 })
  healthy(@Param('id') id: string) {
    events.push(`healthy ${id}`);
  }
}

@Module({ controllers: [LaneController] })
class LaneModule {}

async function until(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; events: ${events.join(' | ')}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function laneScenarios(target: () => { app: RouteMQApp; url: string; protocolVersion: 4 | 5 }): void {
  beforeEach(() => {
    events.length = 0;
    failures.clear();
  });

  it('acknowledges a failed message at once and retries it through the lane: later messages are not held', async () => {
    const client = await TestClient.connect(target().url, target().protocolVersion);
    const id = randomUUID().slice(0, 8);
    await client.publish(`lane/flaky/${id}`, {});
    for (let i = 0; i < 5; i++) await client.publish(`lane/healthy/${id}-${i}`, {});
    await until('the retry', () => events.includes(`flaky ${id} attempt 2`));
    // Every healthy message ran while the flaky one waited for its 400 ms backoff.
    const retryAt = events.indexOf(`flaky ${id} attempt 2`);
    expect(events.slice(0, retryAt).filter((e) => e.startsWith(`healthy ${id}`))).toHaveLength(5);
    await client.close();
  });

  it('dead-letters a message that fails every attempt through the lane, once', async () => {
    const client = await TestClient.connect(target().url, target().protocolVersion);
    const id = `poison-${randomUUID().slice(0, 8)}`;
    await client.subscribe(`routemq/dead-letter/lane/flaky/${id}`);
    await client.publish(`lane/flaky/${id}`, {});
    const letter = await client.next(`routemq/dead-letter/lane/flaky/${id}`, 10_000);
    expect(letter.json).toMatchObject({
      attempts: 3,
      route: 'LaneController.flaky',
      topic: `lane/flaky/${id}`,
    });
    expect(events.filter((e) => e.startsWith(`flaky ${id}`))).toEqual([
      `flaky ${id} attempt 1`,
      `flaky ${id} attempt 2`,
      `flaky ${id} attempt 3`,
    ]);
    await client.close();
  });
}

describe('retry lane on the embedded broker', () => {
  let app: RouteMQApp;
  const folder = mkdtempSync(join(tmpdir(), 'routemq-lane-acl-'));
  beforeAll(async () => {
    // Devices read dead letters on the embedded broker only when an ACL grants it (docs/deployment.md).
    const acl = join(folder, 'acl');
    writeFileSync(acl, 'topic readwrite #\ntopic read routemq/dead-letter/#\n');
    app = await createApp(LaneModule, { env: { EMBEDDED_BROKER_ACL: acl }, port: 0, logLevel: 'silent' });
    await app.start();
  });
  afterAll(async () => {
    await app.stop();
    rmSync(folder, { recursive: true, force: true });
  });
  laneScenarios(() => ({ app, url: `mqtt://127.0.0.1:${app.embeddedBrokerPort}`, protocolVersion: 4 }));
});

describeExternalBroker('retry lane on Mosquitto', () => {
  let app: RouteMQApp;
  beforeAll(async () => {
    app = await createApp(LaneModule, { env: {}, broker: externalBrokerUrl(), logLevel: 'silent' });
    await app.start();
  });
  afterAll(() => app?.stop());
  laneScenarios(() => ({ app, url: externalBrokerUrl(), protocolVersion: 5 }));
});
