/**
 * The Redis integration: the only file that imports ioredis (loaded only when REDIS_URL is set).
 * @module
 */
import Redis from 'ioredis';
import type { Logger } from 'pino';
import type { DependencyContainer } from 'tsyringe';
import type { AppConfig } from '../app/config';
import type { Integration } from '../app/integration';
import { redactSecrets } from '../redaction';
import { REDIS } from '../container/tokens';
import { RouteMQError } from '../errors';
import { ConnectionWatch } from './connection-watch';
import { redisOptions } from './redis-options';
import { stopRedisClient } from './redis-stop';

/** What the Redis integration reads from the configuration. */
export type RedisSettings = Pick<AppConfig, 'redisUrl' | 'redisCommandTimeoutMs'> & {
  readonly redisUrl: string;
};

/**
 * One ioredis client per app, registered under `REDIS` and the ioredis `Redis` class, connected by
 * `start()` (before the app subscribes) and closed by `stop()`.
 *
 * @example
 * ```ts
 * const redis = new RedisIntegration({ redisUrl: 'redis://127.0.0.1:6379', redisCommandTimeoutMs: 2000 });
 * redis.register(container, logger);
 * await redis.start();
 * ```
 */
export class RedisIntegration implements Integration {
  readonly name = 'redis';
  readonly #address: string;
  #client: Redis | undefined;
  #watch: ConnectionWatch | undefined;
  #started = false;
  #stopping = false;
  #lastError: unknown;

  constructor(private readonly settings: RedisSettings) {
    this.#address = redactSecrets(settings.redisUrl);
  }

  register(container: DependencyContainer, logger: Logger): void {
    const client = new Redis(this.settings.redisUrl, redisOptions(this.settings.redisCommandTimeoutMs));
    const log = logger.child({ integration: this.name });
    this.#watch = new ConnectionWatch(
      log,
      'redis',
      this.#address,
      `; commands fail after REDIS_COMMAND_TIMEOUT_MS (${this.settings.redisCommandTimeoutMs} ms) until it is back`,
    );
    this.#watchEvents(client);
    this.#client = client;
    container.register(REDIS, { useValue: client });
    // Also by class, so `constructor(private readonly redis: Redis)` works without @inject.
    container.register(Redis, { useValue: client });
  }

  async start(): Promise<void> {
    const client = this.#requireClient();
    try {
      await client.connect();
    } catch (error) {
      // Stop the reconnect loop ioredis started: the app is not going to run.
      client.disconnect();
      throw this.#startFailure(this.#lastError ?? error);
    }
    this.#started = true;
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#client) await stopRedisClient(this.#client);
  }

  #watchEvents(client: Redis): void {
    // An 'error' listener is required: without one ioredis prints every failed attempt to stderr.
    client.on('error', (error: unknown) => {
      if (!this.#started) this.#lastError = error;
      else if (!this.#stopping) this.#watch?.lost(error);
    });
    client.on('close', () => {
      if (this.#started && !this.#stopping) this.#watch?.lost();
    });
    client.on('ready', () => this.#watch?.restored());
  }

  #startFailure(cause: unknown): RouteMQError {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return new RouteMQError(
      'ERR_INTEGRATION_START_FAILED',
      `Cannot connect to Redis at ${this.#address} (REDIS_URL): ${redactSecrets(reason)}.\n` +
        '    Fix: start Redis there (e.g. `redis-server`), correct REDIS_URL, or unset REDIS_URL to run ' +
        'without Redis (classes that need REDIS then fail at boot; optional injections get undefined).',
      { cause },
    );
  }

  #requireClient(): Redis {
    if (!this.#client) {
      throw new RouteMQError('ERR_APP_STATE', 'RedisIntegration.start() called before register().');
    }
    return this.#client;
  }
}

/**
 * The Redis integration for this configuration.
 *
 * @example
 * ```ts
 * const integration = createRedisIntegration({ redisUrl: 'redis://127.0.0.1:6379', redisCommandTimeoutMs: 2000 });
 * ```
 */
export function createRedisIntegration(settings: RedisSettings): Integration {
  return new RedisIntegration(settings);
}
