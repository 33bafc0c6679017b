import { join, resolve } from 'node:path';
import { loadConfig } from '../../../src/app/config';
import { isRouteMQError } from '../../../src/errors';
import { dataSourceOptions, databaseTarget } from '../../../src/integrations/database-options';
import { reconnectDelay } from '../../../src/integrations/redis-options';
import { PinoTypeOrmLogger } from '../../../src/integrations/typeorm-logger';
import { captureLogs } from './support/log-capture';

describe('integration configuration variables', () => {
  it('has defaults for every variable', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      logPretty: false,
      dataDir: './data',
      databaseMigrations: [],
      redisCommandTimeoutMs: 2000,
    });
    expect(config.databaseSynchronize).toBeUndefined();
  });

  it('reads them from the environment', () => {
    const config = loadConfig({
      LOG_PRETTY: 'yes',
      DATA_DIR: '/var/lib/app',
      DATABASE_SYNCHRONIZE: 'false',
      DATABASE_MIGRATIONS: 'dist/migrations/*.js, lib/more/*.js',
      REDIS_COMMAND_TIMEOUT_MS: '500',
    });
    expect(config).toMatchObject({
      logPretty: true,
      dataDir: '/var/lib/app',
      databaseSynchronize: false,
      databaseMigrations: ['dist/migrations/*.js', 'lib/more/*.js'],
      redisCommandTimeoutMs: 500,
    });
  });

  it('names every bad variable in one ConfigError', () => {
    let error: unknown;
    try {
      loadConfig({ LOG_PRETTY: 'maybe', DATABASE_SYNCHRONIZE: '2', REDIS_COMMAND_TIMEOUT_MS: '0' });
    } catch (caught) {
      error = caught;
    }
    expect(isRouteMQError(error, 'ERR_CONFIG_INVALID')).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('LOG_PRETTY: "maybe" is not a yes/no value');
    expect(message).toContain('DATABASE_SYNCHRONIZE: "2" is not a yes/no value');
    expect(message).toContain('REDIS_COMMAND_TIMEOUT_MS: "0" is not a whole number from 1 to 600000');
  });
});

describe('database options', () => {
  const logger = new PinoTypeOrmLogger(captureLogs().logger);
  const settings = (env: Record<string, string>) => loadConfig(env);
  const none = { entities: [], migrations: [] };

  it('defaults to <DATA_DIR>/routemq.sqlite with synchronize on', () => {
    const options = dataSourceOptions(settings({ DATA_DIR: 'var/db' }), none, logger);
    expect(options).toMatchObject({
      type: 'better-sqlite3',
      database: join(resolve('var/db'), 'routemq.sqlite'),
      synchronize: true,
      migrationsRun: false,
    });
  });

  it('uses PostgreSQL for a postgres:// DATABASE_URL, with synchronize off unless asked', () => {
    const url = 'postgres://app:pw@db:5432/app';
    expect(dataSourceOptions(settings({ DATABASE_URL: url }), none, logger)).toMatchObject({
      type: 'postgres',
      url,
      synchronize: false,
    });
    const synced = dataSourceOptions(
      settings({ DATABASE_URL: url, DATABASE_SYNCHRONIZE: '1' }),
      none,
      logger,
    );
    expect(synced.synchronize).toBe(true);
    expect(databaseTarget(settings({ DATABASE_URL: url })).description).toBe(
      'postgres://app:****@db:5432/app',
    );
  });

  it('runs module migrations and DATABASE_MIGRATIONS globs at start', () => {
    class CreateThings1700000000000 {}
    const options = dataSourceOptions(
      settings({ DATABASE_MIGRATIONS: 'dist/migrations/*.js' }),
      { entities: [], migrations: [CreateThings1700000000000] },
      logger,
    );
    expect(options.migrations).toEqual([CreateThings1700000000000, 'dist/migrations/*.js']);
    expect(options.migrationsRun).toBe(true);
  });

  it('reads the file of sqlite: URLs', () => {
    expect(databaseTarget(settings({ DATABASE_URL: 'sqlite:///srv/app.db' })).file).toBe('/srv/app.db');
    expect(databaseTarget(settings({ DATABASE_URL: 'sqlite:rel/app.db' })).file).toBe(resolve('rel/app.db'));
    expect(databaseTarget(settings({ DATABASE_URL: 'sqlite::memory:' })).file).toBe(':memory:');
  });
});

describe('Redis reconnect delay', () => {
  it('grows from ~200 ms to a 5 s cap and never gives up', () => {
    for (let i = 0; i < 50; i++) {
      expect(reconnectDelay(1)).toBeGreaterThanOrEqual(160);
      expect(reconnectDelay(1)).toBeLessThanOrEqual(240);
      expect(reconnectDelay(1000)).toBeLessThanOrEqual(6000);
      expect(reconnectDelay(1000)).toBeGreaterThanOrEqual(4000);
    }
  });
});
