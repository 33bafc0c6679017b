import type { AppConfig } from './config';
import type { Integration } from './integration';
import type { FlatModule } from './module';

type RedisModule = typeof import('../integrations/redis-integration');
type DatabaseModule = typeof import('../integrations/database-integration');

/**
 * The integrations this configuration and module graph ask for, in start order: Redis when REDIS_URL
 * is set, the database when DATABASE_URL is set or a module declares entities.
 *
 * @example
 * ```ts
 * const integrations = createIntegrations(config, flattenModule(AppModule));
 * ```
 */
export function createIntegrations(config: AppConfig, modules: FlatModule, ownsSchema = true): Integration[] {
  const integrations: Integration[] = [];
  const redisUrl = config.redisUrl;
  if (redisUrl !== undefined) {
    integrations.push(loadRedis().createRedisIntegration({ ...config, redisUrl }));
  }
  if (config.databaseUrl !== undefined || modules.entities.length > 0) {
    integrations.push(loadDatabase().createDatabaseIntegration({ ...config, ownsSchema }, modules));
  }
  return integrations;
}

// ioredis (~45 ms, ~6 MB) and TypeORM (~90 ms, ~9 MB) load only for apps that use them. Synchronous
// requires, because createIntegrations runs inside createApp's synchronous wiring.
function loadRedis(): RedisModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../integrations/redis-integration') as RedisModule;
}

function loadDatabase(): DatabaseModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../integrations/database-integration') as DatabaseModule;
}
