import { DATA_SOURCE, REDIS } from '../container/tokens';

/** Who builds the app: `createApp` (reads the environment) or `createTestApp` (ignores it). */
export type BootContext = 'app' | 'test';

/**
 * The fix to print when a class cannot be built because an integration's token is not registered,
 * recognised from tsyringe's message or a token's name: the token itself (`@inject(REDIS)`) or the
 * library class (`constructor(redis: Redis)`, which tsyringe reports as "TypeInfo not known"). A test
 * app ignores REDIS_URL and DATABASE_URL, so there the fix is a provider.
 *
 * @example
 * ```ts
 * missingIntegrationHint('Attempted to resolve unregistered dependency token: "Symbol(routemq.REDIS)"');
 * // 'REDIS is registered only when REDIS_URL is set: set REDIS_URL ...'
 * ```
 */
export function missingIntegrationHint(reason: string, context: BootContext = 'app'): string | undefined {
  const viaClass = (name: string) => reason.includes(`TypeInfo not known for "${name}"`);
  if (reason.includes(String(REDIS)) || reason.includes(REDIS.description ?? '') || viaClass('Redis')) {
    const inject = viaClass('Redis') ? 'inject it by token: @inject(REDIS) redis: Redis. Then ' : '';
    if (context === 'test') {
      return (
        `${inject}createTestApp ignores REDIS_URL: pass it as an option, ` +
        "createTestApp(AppModule, { redisUrl: 'redis://127.0.0.1:6379/15' }), or give a client or a fake, " +
        'createTestApp(AppModule, { providers: [{ provide: REDIS, useValue: fakeRedis }] }).'
      );
    }
    return (
      `${inject}REDIS is registered only when REDIS_URL is set: set REDIS_URL (e.g. redis://127.0.0.1:6379), ` +
      'or inject it optionally with @inject(REDIS, { isOptional: true }) and handle undefined.'
    );
  }
  if (
    reason.includes(String(DATA_SOURCE)) ||
    reason.includes(DATA_SOURCE.description ?? '') ||
    viaClass('DataSource')
  ) {
    const inject = viaClass('DataSource')
      ? 'inject it by token: @inject(DATA_SOURCE) db: DataSource. Then '
      : '';
    return (
      `${inject}DATA_SOURCE is registered when a module declares TypeORM entities (@Module({ entities: [...] })) ` +
      `or DATABASE_URL is set${context === 'test' ? ' (createTestApp ignores DATABASE_URL: pass { databaseUrl } in its options, or provide DATA_SOURCE)' : ''}: ` +
      'declare the entities (a SQLite file under DATA_DIR is then used), ' +
      'or set DATABASE_URL (e.g. postgres://user@127.0.0.1:5432/app).'
    );
  }
  return undefined;
}
