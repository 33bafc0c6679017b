import type { DataSourceOptions, Logger as TypeOrmLogger } from 'typeorm';
import type { AppConfig } from '../app/config';
import { redactUrl } from '../redaction';
import type { Class } from '../metadata/types';
import { sqliteFileOf } from './sqlite-defaults';

/** What the database integration reads from the configuration. */
export type DatabaseSettings = Pick<
  AppConfig,
  'databaseUrl' | 'dataDir' | 'databaseSynchronize' | 'databaseMigrations'
> & {
  /**
   * False in worker processes other than worker 0: one process changes the schema (synchronize,
   * migrations), the others only use it, so workers never race on DDL (the supervisor starts worker 0
   * first and waits for it).
   */
  readonly ownsSchema?: boolean;
};

/** Entities and migrations declared by the app's modules. */
export interface DatabaseSources {
  readonly entities: readonly Class[];
  readonly migrations: readonly (Class | string)[];
}

/** Where the data lives, for logs and error messages (credentials hidden). */
export interface DatabaseTarget {
  readonly kind: 'sqlite' | 'postgres' | 'mysql' | 'mariadb';
  /** `SQLite file /srv/app/data/routemq.sqlite` or the redacted URL. */
  readonly description: string;
  /** The variable to fix when it cannot be opened. */
  readonly variable: 'DATABASE_URL' | 'DATA_DIR';
  /** The SQLite file, for SQLite targets. */
  readonly file?: string;
}

/**
 * Which database the settings point at: DATABASE_URL's scheme, or a SQLite file under DATA_DIR.
 *
 * @example
 * ```ts
 * databaseTarget({ databaseUrl: 'postgres://app:pw@db/app', ... }).description; // 'postgres://app:****@db/app'
 * ```
 */
export function databaseTarget(settings: DatabaseSettings): DatabaseTarget {
  const url = settings.databaseUrl;
  const scheme = url?.slice(0, url.indexOf(':')).toLowerCase();
  if (url === undefined || scheme === 'sqlite') {
    const file = sqliteFileOf(url, settings.dataDir);
    return {
      kind: 'sqlite',
      file,
      description: `SQLite file ${file}`,
      variable: url ? 'DATABASE_URL' : 'DATA_DIR',
    };
  }
  const kind = scheme === 'mysql' || scheme === 'mariadb' ? scheme : 'postgres';
  return { kind, description: redactUrl(url), variable: 'DATABASE_URL' };
}

/**
 * TypeORM options for the settings and the modules' entities and migrations. Migrations (module
 * option and DATABASE_MIGRATIONS globs) run at start; synchronize defaults to on for SQLite only
 * (development), off for servers, where migrations own the schema.
 *
 * @example
 * ```ts
 * const dataSource = new DataSource(dataSourceOptions(config, flat, new PinoTypeOrmLogger(logger)));
 * ```
 */
export function dataSourceOptions(
  settings: DatabaseSettings,
  sources: DatabaseSources,
  logger: TypeOrmLogger,
): DataSourceOptions {
  const target = databaseTarget(settings);
  const migrations = [...sources.migrations, ...settings.databaseMigrations];
  const common = {
    entities: [...sources.entities],
    migrations,
    migrationsRun: settings.ownsSchema !== false && migrations.length > 0,
    synchronize: settings.ownsSchema !== false && (settings.databaseSynchronize ?? target.kind === 'sqlite'),
    logger,
  };
  if (target.kind === 'sqlite') {
    // WAL lets readers proceed while a handler writes (and several worker processes share the file).
    return {
      ...common,
      type: 'better-sqlite3',
      database: target.file as string,
      enableWAL: target.file !== ':memory:',
    };
  }
  const url = settings.databaseUrl as string;
  if (target.kind === 'postgres') {
    return { ...common, type: 'postgres', url, connectTimeoutMS: 10_000, applicationName: 'routemq' };
  }
  return { ...common, type: target.kind, url, connectTimeout: 10_000 };
}
