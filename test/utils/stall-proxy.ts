/**
 * A TCP proxy that can stop forwarding (a dependency that hangs without closing its connections, the
 * way a stalled server or a cut link looks to a client) and forward again.
 * @module
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

/** A running stall proxy. */
export interface StallProxy {
  readonly port: number;
  /** Stops forwarding in both directions; connections stay open (bytes are held back). */
  stall(): void;
  /** Drops the stalled connections and forwards new ones again. */
  resume(): void;
  close(): Promise<void>;
}

/**
 * Forwards a free loopback port to `127.0.0.1:targetPort`.
 *
 * @example
 * ```ts
 * const proxy = await startStallProxy(6379);
 * proxy.stall(); // Redis commands through it now hang
 * ```
 */
export async function startStallProxy(targetPort: number): Promise<StallProxy> {
  const sockets = new Set<Socket>();
  let stalled = false;
  const server: Server = createServer((client) => {
    const target = connect(targetPort, '127.0.0.1');
    sockets.add(client).add(target);
    const forward = (from: Socket, to: Socket) => {
      from.on('data', (chunk) => {
        if (!stalled) to.write(chunk);
      });
      from.on('close', () => {
        sockets.delete(from);
        to.destroy();
      });
      from.on('error', () => to.destroy());
    };
    forward(client, target);
    forward(target, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    stall: () => {
      stalled = true;
    },
    resume: () => {
      for (const socket of sockets) socket.destroy();
      stalled = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
