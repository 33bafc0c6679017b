import { DeadLetterIntegration } from '../dead-letters/dead-letter-integration';
import { deadLetterStoreKind } from '../dead-letters/store-choice';
import { databaseTarget } from '../integrations/database-options';
import type { AppConfig } from './config';
import type { Integration } from './integration';
import type { FlatModule } from './module';

type RedisModule = typeof import('../integrations/redis-integration');
type DatabaseModule = typeof import('../integrations/database-integration');
type MigrationModule = typeof import('../dead-letters/dead-letter-migration');

/** How long a dead-letter store may be unavailable before letters go to the file fallback. */
const DEAD_LETTER_FALLBACK_AFTER_MS = 300_000;

/**
 * The integrations this configuration and module graph ask for, in start order: Redis when REDIS_URL
 * is set, the database when DATABASE_URL is set or a module declares entities (or the dead letters
 * are kept there), then the dead-letter store (docs/reliability.md "Dead letters").
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
  const deadLetterKind = deadLetterStoreKind(config, modules.entities.length > 0);
  const settings = { ...config, ownsSchema };
  if (deadLetterKind === 'database') {
    // The framework's own migration creates routemq_dead_letters, with the app's migrations.
    const migrations = [...modules.migrations, loadMigration().RouteMQDeadLetters1764806400000];
    integrations.push(loadDatabase().createDatabaseIntegration(settings, { ...modules, migrations }));
  } else if (config.databaseUrl !== undefined || modules.entities.length > 0) {
    integrations.push(loadDatabase().createDatabaseIntegration(settings, modules));
  }
  integrations.push(
    new DeadLetterIntegration(deadLetterKind, {
      ...settings,
      fallbackAfterMs: DEAD_LETTER_FALLBACK_AFTER_MS,
      databaseDescription: databaseTarget(settings).description,
    }),
  );
  return integrations;
}

// ioredis (~45 ms, ~6 MB) and TypeORM (~90 ms, ~9 MB) load only for apps that use them. Synchronous
// requires, because createIntegrations runs inside createApp's synchronous wiring.
function loadRedis(): RedisModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../integrations/redis-integration') as RedisModule;
}

function loadMigration(): MigrationModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../dead-letters/dead-letter-migration') as MigrationModule;
}

function loadDatabase(): DatabaseModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../integrations/database-integration') as DatabaseModule;
}
