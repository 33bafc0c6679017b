import { connect, createServer, type Server, type Socket } from 'node:net';

/** Sees what one client connection sends (e.g. an MQTT packet parser). */
export type ClientTap = (chunk: Buffer) => void;

/**
 * A TCP proxy that can hold what clients send (the server sees nothing) and release it later: a
 * dependency that is slow to store, made with real sockets instead of a mock. `tap` makes a listener
 * per connection for what the client sends.
 */
export class GateProxy {
  #held = false;
  readonly #waiting: (() => void)[] = [];
  readonly #sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(targetPort: number, tap?: () => ClientTap): Promise<GateProxy> {
    const proxies: GateProxy[] = [];
    const server = createServer((client) => proxies[0]?.pipe(client, targetPort, tap?.()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxies.push(new GateProxy(server, (server.address() as { port: number }).port));
    return proxies[0];
  }

  /** From now on, bytes from clients wait in the proxy. */
  hold(): void {
    this.#held = true;
  }

  /** Sends on everything held, and stops holding. */
  release(): void {
    this.#held = false;
    for (const resume of this.#waiting.splice(0)) resume();
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private pipe(client: Socket, port: number, tap: ClientTap | undefined): void {
    const upstream = connect(port, '127.0.0.1');
    this.#sockets.add(client).add(upstream);
    client.on('data', (chunk) => {
      tap?.(chunk);
      if (!this.#held) return void upstream.write(chunk);
      client.pause();
      this.#waiting.push(() => {
        upstream.write(chunk);
        client.resume();
      });
    });
    upstream.on('data', (chunk) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  }
}
