import { connect } from 'node:net';

/**
 * Resolves once something accepts TCP connections on the loopback port, or rejects after `timeoutMs`
 * naming `what` (a broker or a Redis the test started).
 *
 * @example
 * ```ts
 * await waitForPort(port, 5000, 'redis-server');
 * ```
 */
export async function waitForPort(port: number, timeoutMs = 5000, what = 'a server'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await canConnect(port))) {
    if (Date.now() > deadline)
      throw new Error(`${what} did not listen on port ${port} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
