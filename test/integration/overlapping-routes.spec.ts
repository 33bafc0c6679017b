import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Controller, createApp, Ctx, MessageContext, Module, Topic, type RouteMQApp } from 'routemq';
import { describeExternalBroker, externalBrokerUrl } from '../utils/external-broker';
import { TestClient } from '../utils/test-client';

const runs: string[] = [];
const prefix = `overlap-${randomUUID().slice(0, 8)}`;

@Controller(prefix)
class OverlapController {
  @Topic('{device_id}/data', { qos: 1 })
  specific(@Ctx() ctx: MessageContext) {
    runs.push(`specific:${ctx.topic}`);
  }

  @Topic('#', { qos: 0 })
  everything(@Ctx() ctx: MessageContext) {
    runs.push(`everything:${ctx.topic}`);
  }

  @Topic('{device_id}/data', { qos: 1, shared: true })
  sharedToo(@Ctx() ctx: MessageContext) {
    runs.push(`shared:${ctx.topic}`);
  }
}

@Module({ controllers: [OverlapController] })
class OverlapModule {}

async function sendAndSettle(url: string, protocolVersion: 4 | 5, count: number): Promise<void> {
  const client = await TestClient.connect(url, protocolVersion);
  for (let i = 0; i < count; i++) await client.publish(`${prefix}/d${i}/data`, { i });
  await client.publish(`${prefix}/marker`, {});
  await client.close();
  const deadline = Date.now() + 5000;
  while (!runs.includes(`everything:${prefix}/marker`) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  // Deliveries are handled one at a time in arrival order, so once the marker ran, every reading
  // (published before it, each acknowledged) ran on all its routes.
}

function expectEachRouteOnce(count: number, routes: string[]): void {
  for (let i = 0; i < count; i++) {
    for (const route of routes) {
      expect(runs.filter((r) => r === `${route}:${prefix}/d${i}/data`)).toHaveLength(1);
    }
  }
}

describeExternalBroker('overlapping routes on Mosquitto (MQTT 5 subscription identifiers)', () => {
  let app: RouteMQApp;
  beforeAll(async () => {
    runs.length = 0;
    app = await createApp(OverlapModule, { env: {}, broker: externalBrokerUrl(), logLevel: 'silent' });
    await app.start();
  });
  afterAll(() => app?.stop());

  it('runs each matching route exactly once although the broker sends one copy per subscription', async () => {
    await sendAndSettle(externalBrokerUrl(), 5, 10);
    expectEachRouteOnce(10, ['specific', 'everything', 'shared']);
  });
});

describe('overlapping routes on the embedded broker', () => {
  let app: RouteMQApp;
  beforeAll(async () => {
    runs.length = 0;
    app = await createApp(OverlapModule, { env: {}, port: 0, logLevel: 'silent' });
    await app.start();
  });
  afterAll(() => app?.stop());

  it('runs each matching route exactly once (aedes sends one copy per client)', async () => {
    await sendAndSettle(`mqtt://127.0.0.1:${app.embeddedBrokerPort}`, 4, 10);
    expectEachRouteOnce(10, ['specific', 'everything', 'shared']);
  });
});
