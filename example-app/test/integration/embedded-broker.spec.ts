import 'reflect-metadata';
import { createApp, type RouteMQApp } from 'routemq';
import { AppModule } from '../../src/app.module';
import { exampleScenarios } from './example-scenarios';

describe('example app on the embedded broker (random port)', () => {
  let app: RouteMQApp;
  beforeAll(async () => {
    app = await createApp(AppModule, { env: {}, port: 0, logLevel: 'silent' });
    await app.start();
  });
  afterAll(() => app.stop());

  exampleScenarios(() => ({ app, url: `mqtt://127.0.0.1:${app.embeddedBrokerPort}`, protocolVersion: 4 }));
});
