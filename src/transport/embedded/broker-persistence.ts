/**
 * Where the embedded broker keeps sessions, subscriptions, retained messages and queued QoS 1/2
 * messages: in Redis (aedes-persistence-redis) when REDIS_URL is set, so that what the broker
 * acknowledged to a device survives a crash of the process; else in memory (aedes' default).
 * @module
 */
import { createRequire } from 'node:module';
import { Redis } from 'ioredis';

/** Keys of the broker's state, apart from the app's own Redis keys. */
export const BROKER_KEY_PREFIX = 'routemq:broker:';

/**
 * Messages a reconnecting session gets from its stored queue at once (the library's default, 1000,
 * would leave the rest of a longer backlog waiting for the next reconnect).
 */
const MAX_SESSION_DELIVERY = 1_000_000;

/** The persistence object aedes takes; aedes.close() leaves it open, so the owner destroys it. */
export interface AedesPersistence {
  destroy(): Promise<void>;
}

type PersistenceFactory = (options: { conn: Redis; maxSessionDelivery: number }) => AedesPersistence;

/**
 * A Redis persistence for aedes over its own connection to `redisUrl`, keys under
 * {@link BROKER_KEY_PREFIX}. aedes disconnects it when the broker closes.
 *
 * @example
 * ```ts
 * const aedes = await Aedes.createBroker({ persistence: redisPersistence('redis://127.0.0.1:6379/0') });
 * ```
 */
export function redisPersistence(redisUrl: string): AedesPersistence {
  // aedes-persistence-redis is CommonJS with no types: loaded through require, typed here.
  const load = createRequire(__filename);
  const factory = load('aedes-persistence-redis') as PersistenceFactory;
  // A broker write fails after three reconnect attempts instead of waiting in memory for Redis forever.
  const conn = new Redis(redisUrl, { keyPrefix: BROKER_KEY_PREFIX, maxRetriesPerRequest: 3 });
  return factory({ conn, maxSessionDelivery: MAX_SESSION_DELIVERY });
}
