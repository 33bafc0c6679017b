/**
 * A separate RabbitMQ node with the MQTT plugin: its own node name, ports (AMQP, MQTT, distribution and
 * an epmd of its own), mnesia, log and plugin directories, so that the machine's shared RabbitMQ (5672,
 * 25672, epmd 4369) is never touched. RabbitMQ 3.10 speaks MQTT 3.1.1 only and binds `$share/...` as a
 * literal topic (docs/brokers.md).
 * @module
 */
import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../utils/free-port';
import { waitForPort } from '../../utils/wait-for-port';
import { requireBinary, spawnLogged, terminate, type Spawned, type TestBroker } from './broker-process';

/** The boot reads plugins and a config: slow on a loaded 2-core machine. */
const BOOT_TIMEOUT_MS = 180_000;

/**
 * Starts `rabbitmq-server` as node `routemq<pid>@localhost` with `[rabbitmq_mqtt]` enabled.
 * restart() stops and starts the RabbitMQ application inside the node (`rabbitmqctl stop_app` /
 * `start_app`): every MQTT connection is closed and the listener comes back, without a second boot.
 *
 * @example
 * ```ts
 * const rabbit = await startRabbitMq();
 * await rabbit.stop();
 * ```
 */
export async function startRabbitMq(): Promise<TestBroker> {
  requireBinary(
    'rabbitmq-server',
    'https://www.rabbitmq.com/docs/download, or apt-get install rabbitmq-server',
  );
  const dir = await mkdtemp(join(tmpdir(), 'routemq-rabbitmq-'));
  // Run as root, rabbitmq-server drops to the `rabbitmq` user: let it write its files here.
  await chmod(dir, 0o777);
  const [amqpPort, mqttPort, distPort, epmdPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const env = await prepareNode(dir, { amqpPort, mqttPort, distPort, epmdPort });
  const stopEpmd = (): Promise<void> =>
    // Our own epmd (ERL_EPMD_PORT) outlives the node: stop it through its own port, never by name.
    run('epmd', ['-port', String(epmdPort), '-kill'], env).catch(() => undefined);
  const server = await boot(env, mqttPort).catch(async (error: unknown) => {
    await stopEpmd();
    await rm(dir, { recursive: true, force: true });
    throw error;
  });
  let stopped = false;
  return {
    name: 'rabbitmq',
    url: `mqtt://127.0.0.1:${mqttPort}`,
    async restart() {
      await ctl(env, ['stop_app']);
      await ctl(env, ['start_app']);
      await waitForPort(mqttPort, BOOT_TIMEOUT_MS, 'RabbitMQ MQTT listener');
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await ctl(env, ['stop']).catch(() => undefined);
      await terminate(server.child, 'SIGTERM', 15_000);
      await stopEpmd();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

interface Ports {
  readonly amqpPort: number;
  readonly mqttPort: number;
  readonly distPort: number;
  readonly epmdPort: number;
}

async function prepareNode(dir: string, ports: Ports): Promise<NodeJS.ProcessEnv> {
  const home = join(dir, 'home');
  await mkdir(home, { recursive: true, mode: 0o777 });
  await chmod(home, 0o777);
  await writeFile(join(dir, 'empty-env.conf'), '');
  await writeFile(join(dir, 'enabled_plugins'), '[rabbitmq_mqtt].\n');
  await writeFile(
    join(dir, 'rabbitmq.conf'),
    [
      `listeners.tcp.default = 127.0.0.1:${ports.amqpPort}`,
      `mqtt.listeners.tcp.default = 127.0.0.1:${ports.mqttPort}`,
      'mqtt.allow_anonymous = true',
      'mqtt.default_user = guest',
      'mqtt.default_pass = guest',
      'mqtt.vhost = /',
      'mqtt.exchange = amq.topic',
      'loopback_users = none',
      '',
    ].join('\n'),
  );
  return {
    ...process.env,
    HOME: home,
    RABBITMQ_CONF_ENV_FILE: join(dir, 'empty-env.conf'),
    RABBITMQ_NODENAME: `routemq${process.pid}@localhost`,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(ports.amqpPort),
    RABBITMQ_DIST_PORT: String(ports.distPort),
    ERL_EPMD_PORT: String(ports.epmdPort),
    ERL_EPMD_ADDRESS: '127.0.0.1',
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_PLUGINS_EXPAND_DIR: join(dir, 'plugins-expand'),
    RABBITMQ_FEATURE_FLAGS_FILE: join(dir, 'feature_flags'),
    RABBITMQ_QUORUM_DIR: join(dir, 'quorum'),
    RABBITMQ_STREAM_DIR: join(dir, 'stream'),
    RABBITMQ_PID_FILE: join(dir, 'rabbitmq.pid'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
    ERL_FLAGS: '-kernel inet_dist_use_interface {127,0,0,1}',
  };
}

async function boot(env: NodeJS.ProcessEnv, mqttPort: number): Promise<Spawned> {
  const server = spawnLogged('rabbitmq-server', [], { env, cwd: env.HOME });
  try {
    await Promise.race([waitForPort(mqttPort, BOOT_TIMEOUT_MS, 'RabbitMQ MQTT listener'), server.exited]);
    return server;
  } catch (error) {
    await terminate(server.child, 'SIGKILL');
    throw error;
  }
}

function ctl(env: NodeJS.ProcessEnv, args: string[]): Promise<void> {
  return run('rabbitmqctl', ['-n', String(env.RABBITMQ_NODENAME), ...args], env);
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd: env.HOME, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (${code}): ${output}`)),
    );
  });
}
