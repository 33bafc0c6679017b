import type { Logger } from 'pino';
import type { DependencyContainer } from 'tsyringe';
import type { AppConfig } from '../app/config';
import type { Integration } from '../app/integration';
import { DATA_SOURCE, REDIS } from '../container/tokens';
import type { DeadLetterSink } from '../pipeline/dead-letter';
import { MqttPublisher } from '../transport/publisher';
import { DeadLetterKeeper } from './dead-letter-keeper';
import type { DeadLetterStore, DeadLetterStoreKind } from './dead-letter-store';
import { DeadLetters } from './dead-letters';
import { createDeadLetterStore, fileStoreOf } from './open-store';

/** Container token of the app's dead-letter sink (the route runner's way to keep a dead letter). */
export const DEAD_LETTER_SINK: unique symbol = Symbol('routemq.DEAD_LETTER_SINK');

const DAY_MS = 86_400_000;

/** What the integration reads from the configuration. */
export type DeadLetterSettings = Pick<
  AppConfig,
  'dataDir' | 'deadLetterFileMaxBytes' | 'deadLetterRetentionMs' | 'deadLetterTopic'
> & {
  /** How long the store may be unavailable before letters go to the file fallback (UNAVAILABLE_MAX_WAIT_MS). */
  readonly fallbackAfterMs: number;
  /** False in worker processes other than worker 0: one process purges. */
  readonly ownsSchema: boolean;
  /** The database the database store uses, for messages (`SQLite file ./data/routemq.sqlite`). */
  readonly databaseDescription?: string;
};

/**
 * The app's dead-letter store: registers `DeadLetters` (injectable) and the sink the route runner
 * writes through; purges records older than DEAD_LETTER_RETENTION at start and daily. Registered after
 * the database and Redis integrations, whose clients it uses.
 *
 * @example
 * ```ts
 * const integration = new DeadLetterIntegration('database', settings);
 * integration.register(container, logger);
 * await integration.start();
 * ```
 */
export class DeadLetterIntegration implements Integration {
  readonly name = 'dead-letters';
  #store: DeadLetterStore | undefined;
  #logger: Logger | undefined;
  #purgeTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly kind: DeadLetterStoreKind,
    private readonly settings: DeadLetterSettings,
  ) {}

  /** The open store (undefined with `topic-only`). */
  get store(): DeadLetterStore | undefined {
    return this.#store;
  }

  register(container: DependencyContainer, logger: Logger): void {
    const log = logger.child({ integration: this.name });
    this.#logger = log;
    this.#store = createDeadLetterStore(this.kind, this.settings, {
      dataSource: () => ({
        db: container.resolve(DATA_SOURCE),
        where: this.settings.databaseDescription ?? 'the app database',
      }),
      redis: () => container.resolve(REDIS),
    });
    const publisher = () => container.resolve(MqttPublisher);
    const keeper = new DeadLetterKeeper({
      publish: (topic, letter) => publisher().publish(topic, letter, { qos: 1 }),
      logger: log,
      store: () => this.#store,
      fallback: this.kind === 'file' || this.kind === 'topic-only' ? undefined : fileStoreOf(this.settings),
      fallbackAfterMs: this.settings.fallbackAfterMs,
    });
    container.register<DeadLetterSink>(DEAD_LETTER_SINK, { useValue: keeper });
    const store = this.#store;
    if (store) {
      const service = new DeadLetters(store, (topic, payload, options) =>
        publisher().publish(topic, payload, options),
      );
      container.register(DeadLetters, { useValue: service });
    }
  }

  async start(): Promise<void> {
    const store = this.#store;
    if (!store) {
      this.#logger?.warn(
        `DEAD_LETTER_STORE=topic-only: dead letters are only published to ${this.settings.deadLetterTopic}/...; a broker drops them when nothing subscribes`,
      );
      return;
    }
    this.#logger?.info({ store: store.description }, `dead letters kept in ${store.description}`);
    if (!this.settings.ownsSchema || this.settings.deadLetterRetentionMs <= 0) return;
    await this.#purge(store);
    this.#purgeTimer = setInterval(() => void this.#purge(store), DAY_MS).unref();
  }

  async stop(): Promise<void> {
    if (this.#purgeTimer) clearInterval(this.#purgeTimer);
    await this.#store?.close();
  }

  async #purge(store: DeadLetterStore): Promise<void> {
    const cutoff = new Date(Date.now() - this.settings.deadLetterRetentionMs);
    try {
      const purged = await store.purgeBefore(cutoff);
      if (purged > 0) this.#logger?.info({ purged, before: cutoff.toISOString() }, 'purged old dead letters');
    } catch (error) {
      this.#logger?.warn({ err: error }, 'dead-letter retention purge failed; it runs again tomorrow');
    }
  }
}
