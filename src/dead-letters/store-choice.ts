import type { AppConfig } from '../app/config';
import type { DeadLetterStoreKind } from './dead-letter-store';

/**
 * The store DEAD_LETTER_STORE asks for, or with `auto`: the database when the app has one (entities
 * declared or DATABASE_URL set), else Redis when REDIS_URL is set, else a file under DATA_DIR.
 *
 * @example
 * ```ts
 * deadLetterStoreKind(config, flat.entities.length > 0); // 'database'
 * ```
 */
export function deadLetterStoreKind(
  config: Pick<AppConfig, 'deadLetterStore' | 'databaseUrl' | 'redisUrl'>,
  declaresEntities: boolean,
): DeadLetterStoreKind {
  if (config.deadLetterStore !== 'auto') return config.deadLetterStore;
  if (config.databaseUrl !== undefined || declaresEntities) return 'database';
  if (config.redisUrl !== undefined) return 'redis';
  return 'file';
}
