/**
 * A NATS server with its MQTT listener (which needs JetStream), on free ports under a temporary
 * directory. NATS 2.9 speaks MQTT 3.1.1 only, QoS 0/1, no `$share` (docs/brokers.md).
 * @module
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../utils/free-port';
import { waitForPort } from '../../utils/wait-for-port';
import { requireBinary, spawnLogged, terminate, type Spawned, type TestBroker } from './broker-process';

/**
 * Starts `nats-server -c <config>` with `server_name`, a JetStream `store_dir` and an `mqtt` listener.
 *
 * @example
 * ```ts
 * const nats = await startNats();
 * // ... createApp(Module, { broker: nats.url })
 * await nats.stop();
 * ```
 */
export async function startNats(): Promise<TestBroker> {
  requireBinary(
    'nats-server',
    'https://docs.nats.io/running-a-nats-service/introduction/installation, or apt-get install nats-server',
  );
  const dir = await mkdtemp(join(tmpdir(), 'routemq-nats-'));
  const [clientPort, mqttPort] = [await freePort(), await freePort()];
  const configPath = join(dir, 'nats.conf');
  await writeFile(
    configPath,
    [
      `server_name: routemq-test-${process.pid}`,
      `listen: 127.0.0.1:${clientPort}`,
      `jetstream { store_dir: "${join(dir, 'js')}", max_memory_store: 256MB, max_file_store: 1GB }`,
      `mqtt { listen: 127.0.0.1:${mqttPort} }`,
    ].join('\n'),
  );
  let current: Spawned | undefined = await run(configPath, mqttPort);
  let stopped = false;
  const kill = async (): Promise<void> => {
    const process = current;
    current = undefined;
    if (process) await terminate(process.child);
  };
  return {
    name: 'nats',
    url: `mqtt://127.0.0.1:${mqttPort}`,
    async restart() {
      await kill();
      current = await run(configPath, mqttPort);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function run(configPath: string, mqttPort: number): Promise<Spawned> {
  const spawned = spawnLogged('nats-server', ['-c', configPath]);
  try {
    await Promise.race([waitForPort(mqttPort, 20_000, 'nats-server (MQTT listener)'), spawned.exited]);
    return spawned;
  } catch (error) {
    spawned.child.kill('SIGKILL');
    throw error;
  }
}
