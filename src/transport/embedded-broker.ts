/**
 * The embedded MQTT broker (aedes) started when MQTT_BROKER is unset, so that `node dist/main.js` works
 * on a fresh machine (docs/deployment.md, "Running the embedded broker in production"). It speaks MQTT
 * 3.1.1 only and has no shared subscriptions. Access control, limits, persistence and the listeners
 * live in ./embedded/.
 * @module
 */
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { RouteMQError } from '../errors';
import { brokerAccessHooks, type BrokerAccessOptions } from './embedded/broker-access';
import { createListener, type Listener, type ListenerSpec } from './embedded/broker-listeners';

/** Where the embedded broker listens, who may use it and where it keeps its state. */
export interface EmbeddedBrokerOptions {
  /** TCP port; 0 picks a free one (read the real one from {@link EmbeddedBroker.port}). */
  port: number;
  /** Interface to bind; default 127.0.0.1 (like Mosquitto 2). Use '0.0.0.0' to accept remote devices. */
  host?: string;
  /** MQTT over WebSocket port (0 picks a free one); unset: no WebSocket listener. */
  wsPort?: number;
  /** MQTT over TLS: port and the server certificate and key (PEM); unset: no TLS listener. */
  tls?: { readonly port: number; readonly cert: Buffer; readonly key: Buffer };
  /** Most connections open at once over every listener (default 10000). */
  maxConnections?: number;
  /** Largest remaining length a packet may declare; a larger one closes the connection (default 1 MiB). */
  maxPacketBytes?: number;
  /** Time a new connection has to send CONNECT (default 10000 ms). */
  connectTimeoutMs?: number;
  /** Authentication and authorization; unset: every client may do anything (tests). */
  access?: BrokerAccessOptions;
  /** Keep sessions and queued messages in this Redis (aedes-persistence-redis); unset: in memory. */
  redisUrl?: string;
  /** Told about refused connections and clients speaking a protocol version aedes lacks. */
  onNotice?: (notice: string) => void;
}

/** A running embedded broker. */
export interface EmbeddedBroker {
  /** The port it listens on (the chosen one when started with port 0). */
  readonly port: number;
  /** The WebSocket port, when there is a WebSocket listener. */
  readonly wsPort?: number;
  /** The TLS port, when there is a TLS listener. */
  readonly tlsPort?: number;
  /** Stops listening, drops every client connection and closes the broker. Idempotent. */
  close(): Promise<void>;
}

/** The slice of an aedes instance this file uses. */
interface AedesInstance {
  handle: (stream: Duplex) => unknown;
  close(callback?: () => void): void;
  on(
    event: 'connectionError',
    listener: (client: unknown, error: Error & { errorCode?: number }) => void,
  ): void;
}

/**
 * Starts aedes on its listeners.
 * Rejects with ERR_BROKER_PORT_IN_USE when a port is taken, ERR_CONFIG_INVALID when one cannot be
 * bound for another reason (privileged port, unknown host).
 *
 * @example
 * ```ts
 * const broker = await startEmbeddedBroker({ port: 0 });
 * const transport = new MqttTransport({ url: `mqtt://127.0.0.1:${broker.port}`, protocolVersion: 4 });
 * // ...
 * await broker.close();
 * ```
 */
export async function startEmbeddedBroker(options: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const host = options.host ?? '127.0.0.1';
  const notice = options.onNotice ?? (() => undefined);
  // aedes is ESM-only; module node16 keeps this a real import() in the CommonJS build.
  const { Aedes } = await import('aedes');
  // createBroker (aedes >= 1.1) sets up persistence; 1.1.3+ carries the fixes for GHSA-52qw-whmv-87c5.
  // ioredis and aedes-persistence-redis load only when REDIS_URL asks for them.
  const persistence = options.redisUrl ? loadPersistence().redisPersistence(options.redisUrl) : undefined;
  const aedes: AedesInstance = await Aedes.createBroker({
    connectTimeout: options.connectTimeoutMs ?? 10_000,
    ...(options.access ? brokerAccessHooks(options.access) : {}),
    ...(persistence ? { persistence } : {}),
  });
  // aedes.close() leaves the persistence's Redis connection open.
  const closeBroker = async (): Promise<void> => {
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    await persistence?.destroy().catch(() => undefined);
  };
  reportProtocolRefusals(aedes, notice);
  const open = new Set<Socket>();
  const sink = {
    handle: (stream: Duplex) => aedes.handle(stream),
    maxRemainingLength: options.maxPacketBytes ?? 1024 * 1024,
    maxConnections: options.maxConnections ?? 10_000,
    onRefused: (reason: string) => notice(`connection closed: ${reason}`),
  };
  const listeners: Listener[] = [];
  try {
    for (const spec of listenerSpecs(options)) {
      const listener = createListener(spec, sink, open);
      listeners.push(listener);
      await listen(listener, spec.port, host);
    }
  } catch (error) {
    await closeAll(listeners, open, closeBroker);
    throw error;
  }
  return runningBroker(listeners, open, closeBroker);
}

function listenerSpecs(options: EmbeddedBrokerOptions): ListenerSpec[] {
  const specs: ListenerSpec[] = [{ kind: 'tcp', port: options.port }];
  if (options.wsPort !== undefined) specs.push({ kind: 'ws', port: options.wsPort });
  if (options.tls) specs.push({ kind: 'tls', ...options.tls });
  return specs;
}

/** aedes answers an MQTT 5 CONNECT with "unacceptable protocol version" and says nothing else. */
function reportProtocolRefusals(aedes: AedesInstance, notice: (text: string) => void): void {
  aedes.on('connectionError', (_client, error) => {
    if (error.errorCode === 1) {
      notice(
        'a client asked for an MQTT version other than 3.1.1 (MQTT 5?) and was refused: the embedded broker speaks MQTT 3.1.1 only',
      );
    }
  });
}

function runningBroker(
  listeners: Listener[],
  open: Set<Socket>,
  closeBroker: () => Promise<void>,
): EmbeddedBroker {
  const portOf = (kind: Listener['kind']): number | undefined => {
    const address = listeners.find((l) => l.kind === kind)?.server.address();
    return typeof address === 'object' && address !== null ? address.port : undefined;
  };
  let closing: Promise<void> | undefined;
  return {
    port: portOf('tcp') ?? 0,
    wsPort: portOf('ws'),
    tlsPort: portOf('tls'),
    close: () => (closing ??= closeAll(listeners, open, closeBroker)),
  };
}

async function closeAll(
  listeners: Listener[],
  open: Set<Socket>,
  closeBroker: () => Promise<void>,
): Promise<void> {
  const closed = listeners.map(
    ({ server }) =>
      new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve())),
  );
  for (const socket of open) socket.destroy();
  await closeBroker();
  await Promise.all(closed);
}

function listen(listener: Listener, port: number, host: string): Promise<void> {
  const { server } = listener;
  return new Promise<void>((resolve, reject) => {
    const fail = (error: unknown): void => reject(listenFailure(error, listener.kind, port, host));
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
}

const PORT_VARIABLES = { tcp: 'MQTT_PORT', ws: 'EMBEDDED_BROKER_WS_PORT', tls: 'EMBEDDED_BROKER_TLS_PORT' };

function listenFailure(error: unknown, kind: Listener['kind'], port: number, host: string): RouteMQError {
  const code = (error as { code?: unknown } | null)?.code;
  const variable = PORT_VARIABLES[kind];
  if (code === 'EADDRINUSE') {
    const hint =
      kind === 'tcp'
        ? `Either point MQTT_BROKER at that broker (MQTT_BROKER=mqtt://127.0.0.1:${port}) or choose a free port with MQTT_PORT.`
        : `Choose a free port with ${variable}.`;
    return new RouteMQError(
      'ERR_BROKER_PORT_IN_USE',
      `Cannot start the embedded MQTT broker: port ${port} is already in use (probably by another broker). ${hint}`,
      { cause: error },
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new RouteMQError(
    'ERR_CONFIG_INVALID',
    `Cannot start the embedded MQTT broker on ${host}:${port}: ${reason}. ` +
      `Choose another port with ${variable} (ports below 1024 need privileges), or set MQTT_BROKER to use an external broker.`,
    { cause: error },
  );
}

function loadPersistence(): typeof import('./embedded/broker-persistence') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./embedded/broker-persistence') as typeof import('./embedded/broker-persistence');
}
