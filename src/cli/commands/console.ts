import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { start as startRepl, type REPLServer } from 'node:repl';
import type { InjectionToken } from 'tsyringe';
import type { RouteMQApp } from '../../app/application';
import type { AppConfig } from '../../app/config';
import { createApp } from '../../app/create-app';
import { DATA_SOURCE, REDIS } from '../../container/tokens';
import { RouteMQError } from '../../errors';
import { MqttTransport } from '../../transport/mqtt-transport';
import { MqttPublisher } from '../../transport/publisher';
import type { PublishOptions } from '../../transport/transport';
import { loadRootModule, resolveEntry } from '../entry';
import type { CliIo } from '../io';

/** Options of `routemq console`. */
export interface ConsoleOptions {
  module?: string;
}

/** Where the REPL reads and writes (a terminal, or pipes in tests). */
export interface ConsoleStreams {
  readonly input: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly output: NodeJS.WritableStream;
}

/**
 * `routemq console [entry]`: builds the app's container (Redis and the database started, nothing
 * subscribed), connects a publisher, and opens a Node REPL with `app`, `container`, `resolve(Token)`,
 * `publish(topic, payload, opts)`, and `redis` / `db` when configured. Top-level await works; history
 * is kept in ~/.routemq_history; `.exit` closes every connection.
 *
 * @example
 * ```ts
 * await runConsole(undefined, {}, processIo(), { input: process.stdin, output: process.stdout });
 * ```
 */
export async function runConsole(
  entry: string | undefined,
  options: ConsoleOptions,
  io: CliIo,
  streams: ConsoleStreams,
): Promise<void> {
  const rootModule = await loadRootModule(resolveEntry(entry, io.cwd), options.module);
  // Nothing is consumed: no subscription, and no job worker (jobs dispatched here wait for `routemq work`).
  const app = await createApp(rootModule, { env: io.env, supervise: false, jobWorkers: false });
  const transport = consoleTransport(app.config);
  await app.openWithoutSubscribing(transport).catch((error: unknown) => {
    throw new RouteMQError(
      'ERR_BROKER_UNREACHABLE',
      `routemq console could not connect to ${transport.description}: start the app (its embedded broker) or set MQTT_BROKER. ${(error as Error).message}`,
      { cause: error },
    );
  });
  const server = startRepl({
    prompt: 'routemq> ',
    input: streams.input,
    output: streams.output,
    terminal: streams.input.isTTY === true,
    useGlobal: false,
    ignoreUndefined: true,
  });
  Object.assign(server.context, consoleContext(app));
  await setupHistory(server, join(homedir(), '.routemq_history'));
  io.err(
    `routemq console: ${rootModule.name} (nothing subscribed). In scope: ${Object.keys(consoleContext(app)).join(', ')}. .exit to leave.`,
  );
  await new Promise<void>((done) => server.once('exit', () => done()));
  await app.stop();
  io.err('routemq console: connections closed');
}

function consoleContext(app: RouteMQApp): Record<string, unknown> {
  const container = app.container;
  const publisher = container.resolve(MqttPublisher);
  const context: Record<string, unknown> = {
    app,
    container,
    resolve: <T>(token: InjectionToken<T>): T => container.resolve(token),
    publish: (topic: string, payload: unknown, opts?: PublishOptions) =>
      publisher.publish(topic, payload, opts),
  };
  if (container.isRegistered(REDIS, true)) context.redis = container.resolve(REDIS);
  if (container.isRegistered(DATA_SOURCE, true)) context.db = container.resolve(DATA_SOURCE);
  return context;
}

/**
 * A client session of its own (never the app's MQTT_CLIENT_ID: that would take its persistent session
 * over): to MQTT_BROKER, or to the embedded broker of the app running on MQTT_PORT.
 */
function consoleTransport(config: AppConfig): MqttTransport {
  const url = config.broker ?? `mqtt://127.0.0.1:${config.port}`;
  return new MqttTransport({
    url,
    username: config.username,
    password: config.password,
    clientId: `routemq-console-${randomBytes(4).toString('hex')}`,
    protocolVersion: config.broker ? config.protocolVersion : 4,
    clean: true,
    connectTimeoutMs: 5000,
  });
}

function setupHistory(server: REPLServer, file: string): Promise<void> {
  return new Promise((done) => server.setupHistory(file, () => done()));
}
