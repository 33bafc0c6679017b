import type { DependencyContainer, InjectionToken } from 'tsyringe';
import { DATA_SOURCE, REDIS } from '../container/tokens';
import type { DependencyProbe } from './readiness';

/** How long the database may take to answer `SELECT 1` before it counts as unreachable. */
const DATABASE_PROBE_TIMEOUT_MS = 1000;

/** The part of an ioredis client the probe reads (structural: no ioredis import). */
interface RedisStatus {
  readonly status: string;
}

/** The part of a TypeORM DataSource the probe uses. */
interface Queryable {
  readonly isInitialized: boolean;
  query(sql: string): Promise<unknown>;
}

/**
 * Readiness probes for the integrations this app registered: Redis (its client reports `ready`, no
 * round trip) and the database (`SELECT 1` within a second). Nothing for what is not configured.
 *
 * @example
 * ```ts
 * const readiness = new Readiness(dependencyProbes(app.container));
 * ```
 */
export function dependencyProbes(container: DependencyContainer): DependencyProbe[] {
  const probes: DependencyProbe[] = [];
  if (container.isRegistered(REDIS, true)) {
    probes.push({
      name: 'redis',
      // ioredis' status is 'ready' only between a working handshake and the next loss.
      check: async () => resolve<RedisStatus>(container, REDIS).status === 'ready',
    });
  }
  if (container.isRegistered(DATA_SOURCE, true)) {
    probes.push({
      name: 'database',
      check: () => databaseAnswers(resolve<Queryable>(container, DATA_SOURCE)),
    });
  }
  return probes;
}

function resolve<T>(container: DependencyContainer, token: symbol): T {
  return container.resolve(token as InjectionToken<T>);
}

async function databaseAnswers(database: Queryable): Promise<boolean> {
  if (!database.isInitialized) return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), DATABASE_PROBE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([database.query('SELECT 1').then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
