/**
 * Injection token of the ioredis client (registered only when `REDIS_URL` is set).
 *
 * @example
 * ```ts
 * constructor(@inject(REDIS) private readonly redis: Redis) {}
 * ```
 */
export const REDIS: unique symbol = Symbol('routemq.REDIS');

/**
 * Injection token of the TypeORM DataSource.
 *
 * @example
 * ```ts
 * constructor(@inject(DATA_SOURCE) private readonly db: DataSource) {}
 * ```
 */
export const DATA_SOURCE: unique symbol = Symbol('routemq.DATA_SOURCE');

/**
 * Injection token of the root pino logger.
 *
 * @example
 * ```ts
 * constructor(@inject(LOGGER) private readonly logger: Logger) {}
 * ```
 */
export const LOGGER: unique symbol = Symbol('routemq.LOGGER');

/**
 * Injection token of the resolved configuration ({@link AppConfig}).
 *
 * @example
 * ```ts
 * constructor(@inject(APP_CONFIG) private readonly config: AppConfig) {}
 * ```
 */
export const APP_CONFIG: unique symbol = Symbol('routemq.APP_CONFIG');
