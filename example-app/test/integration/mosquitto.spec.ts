import 'reflect-metadata';
import { createApp, type RouteMQApp } from 'routemq';
import {
  createTestSchema,
  requireService,
  TEST_REDIS_URL,
  type TestSchema,
} from '../../../test/integration/integrations/support/services';
import { describeExternalBroker, externalBrokerUrl } from '../../../test/utils/external-broker';
import { AppModule } from '../../src/app.module';
import { exampleScenarios } from './example-scenarios';

describeExternalBroker('example app on Mosquitto with Redis and PostgreSQL', () => {
  requireService('redis');
  requireService('postgres');

  describe.each([5, 4] as const)('MQTT protocol version %i', (protocolVersion) => {
    let app: RouteMQApp;
    let schema: TestSchema;
    beforeAll(async () => {
      // A schema per run: the migration creates `readings` there (synchronize is off on PostgreSQL).
      schema = await createTestSchema();
      app = await createApp(AppModule, {
        env: {},
        broker: externalBrokerUrl(),
        protocolVersion,
        redisUrl: TEST_REDIS_URL,
        databaseUrl: schema.url,
        logLevel: 'silent',
      });
      await app.start();
    });
    afterAll(async () => {
      await app?.stop();
      await schema?.drop();
    });

    it("created the readings table with its migration, and the dead-letter table with RouteMQ's", async () => {
      const applied = await schema.query<{ name: string }>('SELECT name FROM migrations');
      expect(applied.map((m) => m.name).sort()).toEqual([
        'CreateReadings1764000000000',
        'RouteMQDeadLetters1764806400000',
      ]);
    });

    exampleScenarios(() => ({ app, url: externalBrokerUrl(), protocolVersion }));
  });
});
