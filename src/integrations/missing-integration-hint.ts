import { DATA_SOURCE, REDIS } from '../container/tokens';

/**
 * The fix to print when a class cannot be built because an integration's token is not registered,
 * recognised from tsyringe's message: the token itself (`@inject(REDIS)`) or the library class
 * (`constructor(redis: Redis)`, which tsyringe reports as "TypeInfo not known").
 *
 * @example
 * ```ts
 * missingIntegrationHint('Attempted to resolve unregistered dependency token: "Symbol(routemq.REDIS)"');
 * // 'REDIS is registered only when REDIS_URL is set: set REDIS_URL ...'
 * ```
 */
export function missingIntegrationHint(reason: string): string | undefined {
  if (reason.includes(String(REDIS)) || reason.includes('TypeInfo not known for "Redis"')) {
    return (
      'REDIS is registered only when REDIS_URL is set: set REDIS_URL (e.g. redis://127.0.0.1:6379), ' +
      'or inject it optionally with @inject(REDIS, { isOptional: true }) and handle undefined.'
    );
  }
  if (reason.includes(String(DATA_SOURCE)) || reason.includes('TypeInfo not known for "DataSource"')) {
    return (
      'DATA_SOURCE is registered when a module declares TypeORM entities (@Module({ entities: [...] })) ' +
      'or DATABASE_URL is set: declare the entities (a SQLite file under DATA_DIR is then used), ' +
      'or set DATABASE_URL (e.g. postgres://user@127.0.0.1:5432/app).'
    );
  }
  return undefined;
}
