/**
 * Mosquitto and the embedded aedes as {@link TestBroker}s, and the list of every broker the suite runs.
 * @module
 */
import { startEmbeddedBroker, type EmbeddedBroker } from '../../../src/transport/embedded-broker';
import { startBroker } from '../../reliability/lib/broker';
import { requireBinary, type TestBroker } from './broker-process';
import { startNats } from './nats';
import { startRabbitMq } from './rabbitmq';

/**
 * A dedicated Mosquitto with persistence (sessions survive its restart) and no queue limits: its
 * defaults drop QoS 1 messages beyond 1000 queued per client (docs/brokers.md). Restarted with SIGTERM,
 * so that it saves its sessions.
 */
export async function startMosquittoBroker(): Promise<TestBroker> {
  requireBinary('mosquitto', 'apt-get install mosquitto');
  const instance = await startBroker();
  return {
    name: 'mosquitto',
    url: instance.url,
    restart: () => instance.restart(),
    stop: () => instance.stop(),
  };
}

/**
 * The embedded aedes broker, in the test process and reached over TCP like any broker. restart()
 * closes it and starts a new one on the same port: aedes keeps sessions in memory, so they are gone.
 */
export async function startAedesBroker(): Promise<TestBroker> {
  let current: EmbeddedBroker | undefined = await startEmbeddedBroker({ port: 0 });
  const port = current.port;
  return {
    name: 'aedes',
    url: `mqtt://127.0.0.1:${port}`,
    async restart() {
      await current?.close();
      current = await startEmbeddedBroker({ port });
    },
    async stop() {
      await current?.close();
      current = undefined;
    },
  };
}

/** What the suite expects of a broker (docs/brokers.md, "Tested brokers"). */
export interface BrokerProfile {
  readonly name: string;
  readonly start: () => Promise<TestBroker>;
  /** The version `MQTT_PROTOCOL_VERSION=auto` settles on. */
  readonly protocolVersion: 4 | 5;
  readonly sharedSubscriptions: boolean;
  readonly maximumQoS: 1 | 2;
}

const ALL_PROFILES: readonly BrokerProfile[] = [
  {
    name: 'mosquitto',
    start: startMosquittoBroker,
    protocolVersion: 5,
    sharedSubscriptions: true,
    maximumQoS: 2,
  },
  { name: 'aedes', start: startAedesBroker, protocolVersion: 4, sharedSubscriptions: false, maximumQoS: 2 },
  { name: 'nats', start: startNats, protocolVersion: 4, sharedSubscriptions: false, maximumQoS: 1 },
  { name: 'rabbitmq', start: startRabbitMq, protocolVersion: 4, sharedSubscriptions: false, maximumQoS: 1 },
];

/**
 * The brokers of this run: all of them, or those named in `BROKERS` (comma-separated) while working on
 * one. CI runs all four.
 */
export const BROKER_PROFILES: readonly BrokerProfile[] = selectProfiles(process.env.BROKERS);

function selectProfiles(names: string | undefined): readonly BrokerProfile[] {
  if (!names) return ALL_PROFILES;
  const wanted = names.split(',').map((name) => name.trim());
  const unknown = wanted.filter((name) => !ALL_PROFILES.some((p) => p.name === name));
  if (unknown.length > 0) throw new Error(`BROKERS names unknown brokers: ${unknown.join(', ')}`);
  return ALL_PROFILES.filter((p) => wanted.includes(p.name));
}
