import { MemoryBroker } from '../../src/transport/memory-broker';
import { MemoryTransport } from '../../src/transport/memory-transport';
import { runTransportContract } from './transport.contract';

const capabilities = { sharedSubscriptions: true, subscriptionIdentifiers: true, properties: true };

for (const overlappingSubscriptions of ['per-subscription', 'per-client'] as const) {
  runTransportContract(
    `MemoryTransport (overlapping subscriptions: ${overlappingSubscriptions})`,
    async () => {
      const broker = new MemoryBroker({ overlappingSubscriptions });
      return {
        // The contract makes handlers fail on purpose; keep those out of the test output.
        createClient: (clientId) =>
          new MemoryTransport(broker, { clientId, onHandlerError: () => undefined }),
        capabilities,
        close: async () => undefined,
      };
    },
    capabilities,
  );
}
