import type Redis from 'ioredis';

/** How long a polite QUIT may take before the socket is simply closed. */
const QUIT_TIMEOUT_MS = 1000;
/** Statuses with a socket open or opening, whose close ends with an 'end' event worth waiting for. */
const OPEN = new Set(['connecting', 'connect', 'ready']);

/**
 * Closes a client and resolves once it is closed: QUIT when ready (replies in flight arrive first),
 * else an immediate disconnect, which also cancels a pending reconnect. Never throws, and gives up
 * politeness after a second.
 *
 * @example
 * ```ts
 * await stopRedisClient(client); // client.status === 'end'
 * ```
 */
export async function stopRedisClient(client: Redis): Promise<void> {
  if (!OPEN.has(client.status)) {
    client.disconnect();
    return;
  }
  const ended = new Promise<'ended'>((resolve) => client.once('end', () => resolve('ended')));
  if (client.status === 'ready') client.quit().catch(() => client.disconnect());
  else client.disconnect();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), QUIT_TIMEOUT_MS);
  });
  try {
    if ((await Promise.race([ended, timeout])) === 'timeout') client.disconnect();
  } finally {
    clearTimeout(timer);
  }
}
