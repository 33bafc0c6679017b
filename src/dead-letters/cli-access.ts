import { randomBytes } from 'node:crypto';
import pino from 'pino';
import type { AppConfig } from '../app/config';
import { PinoTypeOrmLogger } from '../integrations/typeorm-logger';
import { readTlsOptions } from '../transport/tls-options';
import { MqttTransport } from '../transport/mqtt-transport';
import type { DeadLetterStore, DeadLetterStoreKind } from './dead-letter-store';
import { DeadLetters } from './dead-letters';
import { createDeadLetterStore } from './open-store';

type TypeOrmModule = typeof import('typeorm');
type IoRedisModule = typeof import('ioredis');
type MigrationModule = typeof import('./dead-letter-migration');
type DatabaseOptionsModule = typeof import('../integrations/database-options');

/** The store and service the CLI works on, and how to let go of them. */
export interface DeadLetterAccess {
  readonly deadLetters: DeadLetters;
  readonly store: DeadLetterStore;
  close(): Promise<void>;
}

/**
 * Opens the app's dead-letter store from its configuration, the way the app does (same variables, same
 * choice), for `routemq dead-letters`. Replays publish through MQTT_BROKER, or the running app's
 * embedded broker on MQTT_PORT, with MQTT_USERNAME/MQTT_PASSWORD.
 *
 * @example
 * ```ts
 * const access = await openDeadLetterAccess('database', loadConfig(process.env));
 * console.log(await access.deadLetters.stats());
 * await access.close();
 * ```
 */
export async function openDeadLetterAccess(
  kind: DeadLetterStoreKind,
  config: AppConfig,
): Promise<DeadLetterAccess> {
  const closers: (() => Promise<void>)[] = [];
  const openers: (() => Promise<void>)[] = [];
  const clients = {
    dataSource: () => ({ db: databaseOf(config, openers, closers), where: describeDatabase(config) }),
    redis: () => redisOf(config, closers),
  };
  const store = createDeadLetterStore(kind, config, clients);
  if (!store) {
    throw new Error(
      'DEAD_LETTER_STORE=topic-only: dead letters are not kept, so there is nothing to list or replay. Choose database, redis or file.',
    );
  }
  for (const open of openers) await open();
  let transport: MqttTransport | undefined;
  const publish = async (...args: Parameters<MqttTransport['publish']>) => {
    transport ??= await connectForReplay(config);
    await transport.publish(...args);
  };
  return {
    store,
    deadLetters: new DeadLetters(store, publish),
    close: async () => {
      await transport?.close();
      for (const close of closers.reverse()) await close();
    },
  };
}

type Steps = (() => Promise<void>)[];

function databaseOf(config: AppConfig, openers: Steps, closers: Steps): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only for this store
  const { DataSource } = require('typeorm') as TypeOrmModule;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { RouteMQDeadLetters1764806400000 } = require('./dead-letter-migration') as MigrationModule;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { dataSourceOptions } = require('../integrations/database-options') as DatabaseOptionsModule;
  const options = dataSourceOptions(
    { ...config, databaseSynchronize: false, databaseMigrations: [] },
    { entities: [], migrations: [RouteMQDeadLetters1764806400000] },
    new PinoTypeOrmLogger(pino({ level: 'silent' })),
  );
  const db = new DataSource(options);
  openers.push(async () => {
    await db.initialize();
  });
  closers.push(async () => {
    if (db.isInitialized) await db.destroy();
  });
  return db;
}

function describeDatabase(config: AppConfig): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { databaseTarget } = require('../integrations/database-options') as DatabaseOptionsModule;
  return databaseTarget(config).description;
}

function redisOf(config: AppConfig, closers: Steps): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only for this store
  const { default: Redis } = require('ioredis') as IoRedisModule;
  const redis = new Redis(config.redisUrl as string, { maxRetriesPerRequest: 1, lazyConnect: false });
  closers.push(async () => {
    redis.disconnect();
  });
  return redis;
}

async function connectForReplay(config: AppConfig): Promise<MqttTransport> {
  const embedded = config.broker === undefined;
  const transport = new MqttTransport({
    url: config.broker ?? `mqtt://127.0.0.1:${config.port}`,
    clientId: `routemq-cli-${randomBytes(4).toString('hex')}`,
    username: config.username,
    password: config.password,
    protocolVersion: embedded ? 4 : config.protocolVersion,
    tls: embedded ? undefined : readTlsOptions(config),
    closeTimeoutMs: 5000,
  });
  await transport.connect(async () => undefined);
  return transport;
}
