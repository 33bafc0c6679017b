import { createServer, type Server } from 'node:net';

/** A TCP port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = await listen(0);
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Holds a port open (to test "port in use"); close() frees it. */
export async function occupyPort(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = await listen(0);
  return {
    port: (server.address() as { port: number }).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
