import { MqttTransport } from '../../src/transport/mqtt-transport';
import { describeExternalBroker, externalBrokerUrl } from '../utils/external-broker';
import { runTransportContract } from './transport.contract';

const capabilities = { sharedSubscriptions: true, subscriptionIdentifiers: true, properties: true };

describeExternalBroker('Mosquitto (external broker)', () => {
  runTransportContract(
    'MqttTransport (MQTT 5) against Mosquitto',
    async () => ({
      createClient: (clientId) =>
        new MqttTransport({ url: externalBrokerUrl(), clientId, protocolVersion: 5 }),
      capabilities,
      close: async () => undefined,
    }),
    capabilities,
  );
});
