/**
 * The embedded MQTT broker (aedes) started when MQTT_BROKER is unset, so that `node dist/main.js` works
 * on a fresh machine (DESIGN section 3). It speaks MQTT 3.1.1 only and has no shared subscriptions.
 * @module
 */
import { createServer, type Server, type Socket } from 'node:net';
import { RouteMQError } from '../errors';

/** Where the embedded broker listens. */
export interface EmbeddedBrokerOptions {
  /** TCP port; 0 picks a free one (read the real one from {@link EmbeddedBroker.port}). */
  port: number;
  /** Interface to bind; default 127.0.0.1 (like Mosquitto 2). Use '0.0.0.0' to accept remote devices. */
  host?: string;
}

/** A running embedded broker. */
export interface EmbeddedBroker {
  /** The port it listens on (the chosen one when started with port 0). */
  readonly port: number;
  /** Stops listening, drops every client connection and closes the broker. Idempotent. */
  close(): Promise<void>;
}

/** The slice of an aedes instance this file uses. */
interface AedesInstance {
  handle: (socket: Socket) => unknown;
  close(callback?: () => void): void;
}

/**
 * Starts aedes on a TCP port.
 * Rejects with ERR_BROKER_PORT_IN_USE when the port is taken, ERR_CONFIG_INVALID when it cannot be
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
  // aedes is ESM-only; module node16 keeps this a real import() in the CommonJS build.
  const { Aedes } = await import('aedes');
  // createBroker (aedes >= 1.1) sets up persistence; 1.1.3+ carries the fixes for GHSA-52qw-whmv-87c5.
  const aedes: AedesInstance = await Aedes.createBroker();
  const server = createServer((socket) => aedes.handle(socket));
  const sockets = trackSockets(server);
  try {
    await listen(server, options.port, host);
  } catch (error) {
    await closeAedes(aedes);
    throw listenFailure(error, options.port, host);
  }
  return runningBroker(server, sockets, aedes);
}

function runningBroker(server: Server, sockets: Set<Socket>, aedes: AedesInstance): EmbeddedBroker {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closeAedes(aedes);
    await serverClosed;
  };
  return {
    port,
    close: () => (closing ??= close()),
  };
}

function trackSockets(server: Server): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return sockets;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeAedes(aedes: AedesInstance): Promise<void> {
  return new Promise<void>((resolve) => aedes.close(() => resolve()));
}

function listenFailure(error: unknown, port: number, host: string): RouteMQError {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EADDRINUSE') {
    return new RouteMQError(
      'ERR_BROKER_PORT_IN_USE',
      `Cannot start the embedded MQTT broker: port ${port} is already in use (probably by another broker). ` +
        `Either point MQTT_BROKER at that broker (MQTT_BROKER=mqtt://127.0.0.1:${port}) or choose a free port with MQTT_PORT.`,
      { cause: error },
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new RouteMQError(
    'ERR_CONFIG_INVALID',
    `Cannot start the embedded MQTT broker on ${host}:${port}: ${reason}. ` +
      'Choose another port with MQTT_PORT (ports below 1024 need privileges), or set MQTT_BROKER to use an external broker.',
    { cause: error },
  );
}
