import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type RouteMQApp } from 'routemq';
import { AppModule } from '../../src/app.module';
import { exampleScenarios } from './example-scenarios';

describe('example app with nothing configured: embedded broker (random port) and SQLite', () => {
  let app: RouteMQApp;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'routemq-example-'));
    app = await createApp(AppModule, { env: {}, port: 0, logLevel: 'silent', dataDir });
    await app.start();
  });
  afterAll(async () => {
    await app?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps its SQLite file under DATA_DIR', () => {
    expect(existsSync(join(dataDir, 'routemq.sqlite'))).toBe(true);
  });

  exampleScenarios(() => ({ app, url: `mqtt://127.0.0.1:${app.embeddedBrokerPort}`, protocolVersion: 4 }));
});
