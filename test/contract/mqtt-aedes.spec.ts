import { startEmbeddedBroker } from '../../src/transport/embedded-broker';
import { MqttTransport } from '../../src/transport/mqtt-transport';
import { runTransportContract } from './transport.contract';

// aedes speaks MQTT 3.1.1 only and accepts $share/ subscriptions without honouring them.
const capabilities = { sharedSubscriptions: false, subscriptionIdentifiers: false, properties: false };

runTransportContract(
  'MqttTransport (MQTT 3.1.1) against the embedded aedes broker',
  async () => {
    const broker = await startEmbeddedBroker({ port: 0 });
    const url = `mqtt://127.0.0.1:${broker.port}`;
    return {
      createClient: (clientId) =>
        new MqttTransport({ url, clientId, protocolVersion: 4, sharedSubscriptions: false }),
      capabilities,
      close: () => broker.close(),
    };
  },
  capabilities,
);
