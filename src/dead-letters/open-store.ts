import { join } from 'node:path';
import type { AppConfig } from '../app/config';
import type { DeadLetterStore, DeadLetterStoreKind } from './dead-letter-store';
import { FileDeadLetterStore } from './file-store';

/** The clients a store may need, resolved from the app's container or opened by the CLI. */
export interface StoreClients {
  /** The TypeORM DataSource (the database store), and where it points, for messages. */
  readonly dataSource?: () => { readonly db: unknown; readonly where: string };
  /** The ioredis client (the Redis store). */
  readonly redis?: () => unknown;
}

type DatabaseStoreModule = typeof import('./database-store');
type RedisStoreModule = typeof import('./redis-store');

/**
 * The store of that kind, or undefined for `topic-only`. TypeORM and ioredis load only for the store
 * that uses them.
 *
 * @example
 * ```ts
 * const store = createDeadLetterStore('file', config, {});
 * ```
 */
export function createDeadLetterStore(
  kind: DeadLetterStoreKind,
  config: Pick<AppConfig, 'dataDir' | 'deadLetterFileMaxBytes'>,
  clients: StoreClients,
): DeadLetterStore | undefined {
  switch (kind) {
    case 'topic-only':
      return undefined;
    case 'file':
      return fileStoreOf(config);
    case 'database': {
      const { db, where } = required(clients.dataSource, 'database')();
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- TypeORM loads only for this store
      const { DatabaseDeadLetterStore } = require('./database-store') as DatabaseStoreModule;
      return new DatabaseDeadLetterStore(
        db as ConstructorParameters<typeof DatabaseDeadLetterStore>[0],
        where,
      );
    }
    case 'redis': {
      const redis = required(clients.redis, 'redis')();
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- ioredis loads only for this store
      const { RedisDeadLetterStore } = require('./redis-store') as RedisStoreModule;
      return new RedisDeadLetterStore(redis as ConstructorParameters<typeof RedisDeadLetterStore>[0]);
    }
  }
}

/** The JSON-lines store under `DATA_DIR/dead-letters` (also the fallback of the other stores). */
export function fileStoreOf(
  config: Pick<AppConfig, 'dataDir' | 'deadLetterFileMaxBytes'>,
): FileDeadLetterStore {
  return new FileDeadLetterStore(join(config.dataDir, 'dead-letters'), config.deadLetterFileMaxBytes);
}

function required<T>(client: T | undefined, kind: string): T {
  if (client === undefined) throw new Error(`the ${kind} dead-letter store needs its client`);
  return client;
}
