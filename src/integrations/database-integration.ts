/**
 * The database integration: with database-options.ts and typeorm-logger.ts, the only files that
 * import TypeORM (loaded only when a module declares entities or DATABASE_URL is set).
 * @module
 */
import type { Logger } from 'pino';
import type { DependencyContainer } from 'tsyringe';
import { DataSource } from 'typeorm';
import type { Integration } from '../app/integration';
import { redactSecrets } from '../redaction';
import { DATA_SOURCE } from '../container/tokens';
import { RouteMQError } from '../errors';
import {
  databaseTarget,
  dataSourceOptions,
  type DatabaseSettings,
  type DatabaseSources,
  type DatabaseTarget,
} from './database-options';
import { ensureSqliteFolder } from './sqlite-defaults';
import { PinoTypeOrmLogger } from './typeorm-logger';

/**
 * One TypeORM DataSource per app, registered under `DATA_SOURCE` and the `DataSource` class,
 * initialized by `start()` (schema synchronized / migrations run) and destroyed by `stop()`.
 *
 * @example
 * ```ts
 * const database = new DatabaseIntegration(config, { entities: [Reading], migrations: [] });
 * database.register(container, logger);
 * await database.start();
 * ```
 */
export class DatabaseIntegration implements Integration {
  readonly name = 'database';
  readonly #target: DatabaseTarget;
  #dataSource: DataSource | undefined;
  #logger: Logger | undefined;

  constructor(
    private readonly settings: DatabaseSettings,
    private readonly sources: DatabaseSources,
  ) {
    this.#target = databaseTarget(settings);
  }

  register(container: DependencyContainer, logger: Logger): void {
    this.#logger = logger.child({ integration: this.name });
    const options = dataSourceOptions(this.settings, this.sources, new PinoTypeOrmLogger(this.#logger));
    try {
      // Builds the driver object only (it loads the driver package); nothing connects before start().
      this.#dataSource = new DataSource(options);
    } catch (error) {
      throw this.#failure(error);
    }
    container.register(DATA_SOURCE, { useValue: this.#dataSource });
    container.register(DataSource, { useValue: this.#dataSource });
  }

  async start(): Promise<void> {
    const dataSource = this.#requireDataSource();
    try {
      if (this.#target.file) await ensureSqliteFolder(this.#target.file);
      await dataSource.initialize();
    } catch (error) {
      throw this.#failure(error);
    }
    this.#logger?.info(
      { database: this.#target.description, synchronize: dataSource.options.synchronize },
      `database open: ${this.#target.description}`,
    );
  }

  async stop(): Promise<void> {
    if (this.#dataSource?.isInitialized) await this.#dataSource.destroy();
  }

  #failure(cause: unknown): RouteMQError {
    const reason = redactSecrets(cause instanceof Error ? cause.message : String(cause));
    return new RouteMQError(
      'ERR_INTEGRATION_START_FAILED',
      `Cannot open the database (${this.#target.description}, from ${this.#target.variable}): ${reason}.\n` +
        `    Fix: ${fixOf(this.#target)}`,
      { cause },
    );
  }

  #requireDataSource(): DataSource {
    if (!this.#dataSource) {
      throw new RouteMQError('ERR_APP_STATE', 'DatabaseIntegration.start() called before register().');
    }
    return this.#dataSource;
  }
}

function fixOf(target: DatabaseTarget): string {
  if (target.kind === 'sqlite') {
    return `make ${target.variable} point at a writable folder (or file), or set DATABASE_URL=postgres://... to use PostgreSQL.`;
  }
  if (target.kind === 'postgres') {
    return 'start PostgreSQL there and check the user, password and database of DATABASE_URL, or unset DATABASE_URL to use a SQLite file under DATA_DIR. A failed migration is named above: fix it and start again.';
  }
  return `install the driver (npm install mysql2) and check DATABASE_URL, or unset it to use a SQLite file under DATA_DIR.`;
}

/**
 * The database integration for this configuration and these modules.
 *
 * @example
 * ```ts
 * const integration = createDatabaseIntegration(config, flattenModule(AppModule));
 * ```
 */
export function createDatabaseIntegration(settings: DatabaseSettings, sources: DatabaseSources): Integration {
  return new DatabaseIntegration(settings, sources);
}
