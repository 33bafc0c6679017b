/**
 * The real Redis and PostgreSQL the integration suites use, and how to say they are missing.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { Client } from 'pg';

/** Redis of the suites: TEST_REDIS_URL, else redis://127.0.0.1:6379. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** PostgreSQL of the suites (trust auth, database `test`): TEST_DATABASE_URL, else the local one. */
export const TEST_POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const HOW_TO_START = {
  redis:
    'Start one with `redis-server --daemonize yes` (or `docker run -d -p 6379:6379 redis`), ' +
    'or point TEST_REDIS_URL=redis://host:port at a running Redis.',
  postgres:
    'Start PostgreSQL with trust authentication and a database named test ' +
    '(`docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust -e POSTGRES_DB=test postgres`, ' +
    'or `pg_ctlcluster <version> main start && createdb test`), or point TEST_DATABASE_URL at one.',
} as const;

/**
 * A beforeAll that fails every test of the suite with the way to start the service when it is not
 * reachable (a missing service must not look like a green run).
 *
 * @example
 * ```ts
 * describe('with Redis', () => { requireService('redis'); it('...', ...); });
 * ```
 */
export function requireService(service: 'redis' | 'postgres'): void {
  beforeAll(async () => {
    const url = service === 'redis' ? TEST_REDIS_URL : TEST_POSTGRES_URL;
    const problem = service === 'redis' ? await tcpProblem(url, 6379) : await postgresProblem(url);
    if (problem === undefined) return;
    throw new Error(`${service} is not available at ${url} (${problem}). ${HOW_TO_START[service]}`);
  });
}

/** A PostgreSQL schema of its own for one suite, and a DATABASE_URL that uses it. */
export interface TestSchema {
  readonly name: string;
  /** TEST_POSTGRES_URL with `search_path` set to the schema (tables land there). */
  readonly url: string;
  /** Runs SQL in the schema (checks from tests). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
}

/**
 * Creates `routemq_test_<random>` so runs never see each other's tables.
 *
 * @example
 * ```ts
 * const schema = await createTestSchema();
 * const app = await createApp(AppModule, { env: {}, databaseUrl: schema.url });
 * ```
 */
export async function createTestSchema(): Promise<TestSchema> {
  const name = `routemq_test_${randomBytes(4).toString('hex')}`;
  const client = new Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  await client.query(`CREATE SCHEMA ${name}`);
  await client.query(`SET search_path TO ${name}`);
  const separator = TEST_POSTGRES_URL.includes('?') ? '&' : '?';
  return {
    name,
    url: `${TEST_POSTGRES_URL}${separator}options=${encodeURIComponent(`-c search_path=${name}`)}`,
    query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
    drop: async () => {
      await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
      await client.end();
    },
  };
}

async function postgresProblem(url: string): Promise<string | undefined> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function tcpProblem(url: string, defaultPort: number): Promise<string | undefined> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || defaultPort) });
    const finish = (problem: string | undefined): void => {
      socket.destroy();
      resolve(problem);
    };
    socket.setTimeout(2000, () => finish('no answer within 2 s'));
    socket.once('connect', () => finish(undefined));
    socket.once('error', (error) => finish(error.message));
  });
}
