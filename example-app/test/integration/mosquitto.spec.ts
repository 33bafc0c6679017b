import 'reflect-metadata';
import { createApp, type RouteMQApp } from 'routemq';
import { describeExternalBroker, externalBrokerUrl } from '../../../test/utils/external-broker';
import { AppModule } from '../../src/app.module';
import { exampleScenarios } from './example-scenarios';

describeExternalBroker('example app on the external Mosquitto', () => {
  describe.each([5, 4] as const)('MQTT protocol version %i', (protocolVersion) => {
    let app: RouteMQApp;
    beforeAll(async () => {
      app = await createApp(AppModule, {
        env: {},
        broker: externalBrokerUrl(),
        protocolVersion,
        logLevel: 'silent',
      });
      await app.start();
    });
    afterAll(() => app?.stop());

    exampleScenarios(() => ({ app, url: externalBrokerUrl(), protocolVersion }));
  });
});
