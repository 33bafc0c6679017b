import { freePort } from '../../utils/free-port';
import { ROOT, runCliProcess } from '../cli/cli-process';
import { startMain } from '../integrations/support/main-process';

/**
 * Every start-up error path, with secrets set in the awkward shapes that broke redaction before: a raw
 * `@` in a password (the part after it leaked), a `/` (the URL does not parse and was echoed whole),
 * a bare `user:pw@host`. All output of the process (stdout and stderr) must hold none of them.
 */
const SECRET = 'ZQSECRET';
const shapes = [`CD@${SECRET}`, `p/w?${SECRET}:x`];

type Env = Record<string, string>;

async function cases(): Promise<Array<[string, Env]>> {
  const closed = await freePort();
  const embedded = String(await freePort());
  const out: Array<[string, Env]> = [];
  for (const secret of shapes) {
    out.push(
      [`bad scheme (${secret})`, { MQTT_BROKER: `http://u:${secret}@127.0.0.1:1883` }],
      [`not a URL (${secret})`, { MQTT_BROKER: `mqtt://u:${secret}@127.0.0.1:99999999` }],
      [`bare host with credentials (${secret})`, { MQTT_BROKER: `u:${secret}@broker` }],
      [
        `other variables wrong (${secret})`,
        {
          MQTT_BROKER: `mqtt://u:${secret}@127.0.0.1:1883`,
          MQTT_PASSWORD: secret,
          REDIS_URL: `redis://:${secret}@127.0.0.1:6379/11`,
          DATABASE_URL: `postgres://app:${secret}@127.0.0.1:5432/test`,
          WORKER_COUNT: 'many',
        },
      ],
      [
        `REDIS_URL bad scheme (${secret})`,
        { REDIS_URL: `http://:${secret}@127.0.0.1:6379`, MQTT_PORT: embedded },
      ],
      [
        `DATABASE_URL not a URL (${secret})`,
        { DATABASE_URL: `postgres://a:${secret}@h:x:y`, MQTT_PORT: embedded },
      ],
      [`broker unreachable (${secret})`, { MQTT_BROKER: `mqtt://u:${secret}@127.0.0.1:${closed}` }],
      [
        `Redis down (${secret})`,
        { REDIS_URL: `redis://:${secret}@127.0.0.1:${closed}/11`, MQTT_PORT: embedded },
      ],
      [
        `PostgreSQL down (${secret})`,
        { DATABASE_URL: `postgres://app:${secret}@127.0.0.1:${closed}/test`, MQTT_PORT: embedded },
      ],
    );
  }
  return out;
}

jest.setTimeout(300_000);

describe('no secret in any start-up error output', () => {
  it('dist/main.js: every configuration and connection error', async () => {
    const leaks: string[] = [];
    const pending = await cases();
    // Three processes at a time: each is mostly waiting (a refused connection, a boot error).
    const worker = async (): Promise<void> => {
      for (let next = pending.shift(); next; next = pending.shift()) {
        const [name, env] = next;
        const main = startMain({ MQTT_RECONNECT_MAX_MS: '100', ...env });
        const timer = setTimeout(() => main.child.kill('SIGKILL'), 60_000);
        const code = await main.exited;
        clearTimeout(timer);
        const output = main.output();
        if (code === 0) leaks.push(`${name}: started instead of failing`);
        if (!output.includes('failed to start')) leaks.push(`${name}: no start-up error:\n${output}`);
        if (output.includes(SECRET)) leaks.push(`${name}:\n${output}`);
      }
    };
    await Promise.all([worker(), worker(), worker()]);
    expect(leaks).toEqual([]);
  });

  it('the CLI (routemq routes) on a configuration error', () => {
    for (const secret of shapes) {
      const { code, stdout, stderr } = runCliProcess(['routes', 'dist/app.module.js'], ROOT, {
        MQTT_BROKER: `ftp://u:${secret}@127.0.0.1`,
        REDIS_URL: `redis://:${secret}@127.0.0.1:6379`,
      });
      expect(code).not.toBe(0);
      expect(stdout + stderr).toContain('MQTT_BROKER');
      expect(stdout + stderr).not.toContain(SECRET);
    }
  });
});
