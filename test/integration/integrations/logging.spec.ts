import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redactSecrets } from '../../../src/redaction';
import { describeExternalBroker } from '../../utils/external-broker';
import { freePort } from '../../utils/free-port';
import { TestClient } from '../../utils/test-client';
import { startMain } from './support/main-process';
import { createTestSchema, requireService, TEST_POSTGRES_URL, type TestSchema } from './support/services';

const SECRETS = {
  broker: 'broker-secret-1',
  mqtt: 'mqtt-secret-2',
  redis: 'redis-secret-3',
  postgres: 'pg-secret-4',
};

function postgresUrlWithPassword(base: string, password: string, port?: number): string {
  const url = new URL(base);
  url.password = password;
  if (port !== undefined) url.port = String(port);
  return url.toString();
}

function expectNoSecret(output: string): void {
  for (const secret of Object.values(SECRETS)) expect(output).not.toContain(secret);
}

describe('redactSecrets', () => {
  it.each([
    ['redis://:s3cret@host:6379', 'redis://:****@host:6379'],
    ['postgres://app:s3cret@db:5432/app?sslmode=require', 'postgres://app:****@db:5432/app?sslmode=require'],
    ['failed: mqtt://u:p@b:1883 and rediss://:x@r', 'failed: mqtt://u:****@b:1883 and rediss://:****@r'],
    ['postgres://db/app?password=s3cret&x=1', 'postgres://db/app?password=****&x=1'],
    ['redis://127.0.0.1:6379', 'redis://127.0.0.1:6379'],
  ])('%s -> %s', (text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
  });
});

describe('createRootLogger redaction (dist, in a child process writing to stdout)', () => {
  it('censors secret fields, masks URL credentials in fields, messages and error stacks', () => {
    const script = `
      const { createRootLogger } = require(${JSON.stringify(join(__dirname, '../../../dist/lib/app/logger.js'))});
      const logger = createRootLogger({ logLevel: 'info' });
      logger.info({ password: 'zsecret1', token: 'zsecret2', config: { redisUrl: 'redis://:zsecret3@h:6379', password: 'zsecret4' },
        headers: { authorization: 'Bearer zsecret5' }, url: 'postgres://u:zsecret6@db/app' }, 'via mqtt://u:zsecret7@broker');
      logger.error({ err: new Error('cannot reach postgres://u:zsecret8@db/app') }, 'failed');
    `;
    const output = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    for (let i = 1; i <= 8; i++) expect(output).not.toContain(`zsecret${i}`);
    const [first, second] = output
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(first).toMatchObject({
      password: '****',
      config: { redisUrl: 'redis://:****@h:6379', password: '****' },
      headers: { authorization: '****' },
      url: 'postgres://u:****@db/app',
      msg: 'via mqtt://u:****@broker',
    });
    expect(second.err).toMatchObject({ message: 'cannot reach postgres://u:****@db/app' });
  });
});

describeExternalBroker('secrets in the logs of a running app (dist/main.js, LOG_LEVEL=trace)', () => {
  requireService('redis');
  requireService('postgres');
  let schema: TestSchema;
  let dataDir: string;
  beforeAll(async () => {
    schema = await createTestSchema();
    dataDir = await mkdtemp(join(tmpdir(), 'routemq-logs-'));
  });
  afterAll(async () => {
    await schema?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('never writes MQTT_PASSWORD, broker, REDIS_URL or DATABASE_URL credentials', async () => {
    const main = startMain({
      LOG_LEVEL: 'trace',
      MQTT_BROKER: `mqtt://routemq:${SECRETS.broker}@127.0.0.1:1883`,
      MQTT_USERNAME: 'routemq',
      MQTT_PASSWORD: SECRETS.mqtt,
      REDIS_URL: `redis://:${SECRETS.redis}@127.0.0.1:6379`,
      DATABASE_URL: postgresUrlWithPassword(schema.url, SECRETS.postgres),
      DATA_DIR: dataDir,
    });
    try {
      await main.waitFor('route devices/{device_id}/status/get');
      const client = await TestClient.connect('mqtt://127.0.0.1:1883', 5);
      await client.subscribe('alerts/#');
      await client.publish('sensors/secret-check/data', { temperature: 80 });
      await client.next('alerts/secret-check');
      await client.publish('sensors/secret-check/data', { temperature: 'invalid', password: 'x' });
      await client.close();
      await main.waitFor('ERR_VALIDATION_FAILED');
      main.child.kill('SIGTERM');
      expect(await main.exited).toBe(0);
      const output = main.output();
      expect(output).toContain('"msg":"stopped"');
      expect(output).toContain('postgres://postgres:****@127.0.0.1');
      expectNoSecret(output);
    } finally {
      main.child.kill('SIGKILL');
    }
  }, 30_000);

  it.each([
    ['Redis', () => ({ REDIS_URL: `redis://:${SECRETS.redis}@127.0.0.1:${port}` }), 'REDIS_URL'],
    [
      'PostgreSQL',
      () => ({ DATABASE_URL: postgresUrlWithPassword(TEST_POSTGRES_URL, SECRETS.postgres, port) }),
      'DATABASE_URL',
    ],
  ])('hides the credentials in the boot error when %s is down', async (_name, env, variable) => {
    port = await freePort();
    const main = startMain({ MQTT_PORT: String(await freePort()), DATA_DIR: dataDir, ...env() });
    expect(await main.exited).toBe(1);
    const output = main.output();
    expect(output).toContain('ERR_INTEGRATION_START_FAILED');
    expect(output).toContain(variable);
    expect(output).toContain(':****@127.0.0.1');
    expectNoSecret(output);
  });
});

let port = 0;

describe('LOG_PRETTY=1', () => {
  it('writes pino-pretty lines instead of JSON', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'routemq-pretty-'));
    const main = startMain({ LOG_PRETTY: '1', MQTT_PORT: String(await freePort()), DATA_DIR: dataDir });
    try {
      await main.waitFor('route sensors/{device_id}/data');
      main.child.kill('SIGTERM');
      expect(await main.exited).toBe(0);
      const output = main.output();
      expect(output).toMatch(/INFO.*\(routemq\/\d+\)/);
      expect(output).not.toContain('"level":');
    } finally {
      main.child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
