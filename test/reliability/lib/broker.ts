/**
 * The suite's own Mosquitto: persistence saved on every change (a SIGKILLed broker keeps what it
 * acknowledged) and queue limits raised so that the broker drops nothing
 * (Mosquitto's defaults silently drop QoS 1 messages beyond 1000 queued per client).
 * @module
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMosquitto, type MosquittoInstance } from '../../utils/mosquitto';

/** A running broker and its persistence directory. */
export interface Broker extends MosquittoInstance {
  /** The mosquitto.conf lines the suite added, for the report. */
  readonly config: readonly string[];
}

/** Limits that keep Mosquitto from dropping QoS 1 messages (0 = no maximum). */
const NO_DROP = ['max_inflight_messages 1000', 'max_queued_messages 0', 'max_queued_bytes 0'];

/** The lines that make a broker fit for "0 lost" tests. */
export function reliableConfig(persistenceDir: string): string[] {
  return [
    'persistence true',
    `persistence_location ${persistenceDir}/`,
    // With autosave_on_changes, the interval counts changes: save after every one.
    'autosave_interval 1',
    'autosave_on_changes true',
    ...NO_DROP,
  ];
}

/**
 * Starts Mosquitto on a free loopback port with {@link reliableConfig}; with `persistence: false`, only
 * the no-drop limits. The throughput figures use the latter: saving the whole database after every
 * change caps Mosquitto 2.0.11 itself near 2,000 msg/s here, whatever the subscriber (docs/reliability.md).
 */
export async function startBroker(options: { persistence?: boolean } = {}): Promise<Broker> {
  const persistenceDir = await mkdtemp(join(tmpdir(), 'routemq-reliability-'));
  // Mosquitto started as root drops to the `mosquitto` user: a directory it cannot write fails silently.
  await chmod(persistenceDir, 0o777);
  const config = options.persistence === false ? NO_DROP : reliableConfig(persistenceDir);
  const broker = await startMosquitto(config.join('\n'));
  return {
    ...broker,
    config,
    async stop() {
      await broker.stop();
      await rm(persistenceDir, { recursive: true, force: true });
    },
  };
}
