/**
 * The embedded broker's listeners: MQTT over TCP, over TLS, and over WebSocket (browser dashboards).
 * Every connection is admitted against one shared connection limit and passes the packet size guard
 * before aedes reads it.
 * @module
 */
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createServer as createTlsServer } from 'node:tls';
import { guardPacketSize } from './packet-size-guard';

/** What every listener hands a new, admitted and guarded connection to. */
export interface ConnectionSink {
  /** aedes.handle */
  readonly handle: (stream: Duplex) => unknown;
  /** Largest remaining length a packet may declare. */
  readonly maxRemainingLength: number;
  /** Most connections open at once over every listener. */
  readonly maxConnections: number;
  /** Called when a connection is refused (limit) or closed by the guard. */
  readonly onRefused: (reason: string) => void;
}

/** One listener to open. */
export type ListenerSpec =
  | { readonly kind: 'tcp'; readonly port: number }
  | { readonly kind: 'tls'; readonly port: number; readonly cert: Buffer; readonly key: Buffer }
  | { readonly kind: 'ws'; readonly port: number };

/** A listener, open or not yet. */
export interface Listener {
  readonly kind: ListenerSpec['kind'];
  readonly server: Server;
}

/**
 * Creates the server of one listener (not listening yet); connections share `open`, the set of
 * sockets open over every listener, for the limit and for closing.
 *
 * @example
 * ```ts
 * const open = new Set<Socket>();
 * const listener = createListener({ kind: 'tcp', port: 1883 }, sink, open);
 * listener.server.listen(1883, '127.0.0.1');
 * ```
 */
export function createListener(spec: ListenerSpec, sink: ConnectionSink, open: Set<Socket>): Listener {
  const guarded = (stream: Duplex): void => {
    sink.handle(guardPacketSize(stream, sink.maxRemainingLength, (e) => sink.onRefused(e.message)));
  };
  const server = serverFor(spec, sink, guarded);
  // 'connection' carries the raw TCP socket for all three kinds, before any TLS or HTTP work.
  server.on('connection', (socket: Socket) => {
    if (open.size >= sink.maxConnections) {
      sink.onRefused(`connection limit (${sink.maxConnections}) reached`);
      socket.destroy();
      return;
    }
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  return { kind: spec.kind, server };
}

function serverFor(spec: ListenerSpec, sink: ConnectionSink, guarded: (stream: Duplex) => void): Server {
  if (spec.kind === 'tcp') {
    return createTcpServer((socket) => {
      socket.setNoDelay(true);
      guarded(socket);
    });
  }
  if (spec.kind === 'tls') {
    return createTlsServer({ cert: spec.cert, key: spec.key, handshakeTimeout: 10_000 }, (socket) => {
      socket.setNoDelay(true);
      guarded(socket);
    });
  }
  const http = createHttpServer((_request, response) => {
    response.writeHead(426, { 'content-type': 'text/plain' }).end('MQTT over WebSocket: upgrade required\n');
  });
  // ws buffers a whole frame before handing it on: cap it at the packet limit (plus the fixed
  // header), and leave compression off so a small frame cannot inflate past it.
  const { WebSocketServer, createWebSocketStream } = loadWs();
  const wss = new WebSocketServer({
    server: http,
    maxPayload: sink.maxRemainingLength + 5,
    perMessageDeflate: false,
  });
  wss.on('connection', (socket: unknown) => guarded(createWebSocketStream(socket)));
  wss.on('error', (error: Error) => sink.onRefused(error.message));
  return http;
}

/** The slice of the `ws` package this file uses (typed here: its types are not a dependency of apps). */
interface WsModule {
  WebSocketServer: new (options: { server: Server; maxPayload: number; perMessageDeflate: boolean }) => {
    on(event: string, listener: (value: never) => void): void;
  };
  createWebSocketStream(socket: unknown): Duplex;
}

function loadWs(): WsModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('ws') as WsModule;
}
