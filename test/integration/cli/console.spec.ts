/**
 * `routemq console` driven over stdin, as a person at a terminal would: the example app's container
 * (its SQLite database started), resolve and publish in scope, top-level await, `.exit` closing every
 * connection. Publishes go through the external broker (Mosquitto).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeExternalBroker, externalBrokerUrl } from '../../utils/external-broker';
import { TestClient } from '../../utils/test-client';
import { CLI, ROOT } from './cli-process';

function runConsole(lines: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [CLI, 'console', 'dist/app.module.js'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  child.stdin.end(`${lines.join('\n')}\n`);
  return { exited, output: () => output };
}

describeExternalBroker('routemq console', () => {
  jest.setTimeout(60_000);
  let home: string;
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'routemq-console-'));
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('opens a REPL with the container, resolve, publish and db; .exit closes cleanly', async () => {
    const subscriber = await TestClient.connect(externalBrokerUrl(), 4);
    const topic = `routemq-console-test/${process.pid}`;
    await subscriber.subscribe(topic);
    try {
      const run = runConsole(
        [
          "typeof resolve(require('routemq').MqttPublisher).publish",
          `await publish('${topic}', { from: 'console' }, { qos: 1 })`,
          "db.isInitialized ? 'db ready' : 'db closed'",
          "['app', 'container'].map((k) => typeof globalThis[k] === 'undefined' ? k : '').join('') || 'ok'",
          '.exit',
        ],
        {
          HOME: home,
          MQTT_BROKER: externalBrokerUrl(),
          DATA_DIR: join(home, 'data'),
          LOG_LEVEL: 'warn',
        },
      );
      expect((await subscriber.next(topic, 45_000)).json).toEqual({ from: 'console' });
      expect(await run.exited).toBe(0);
      const output = run.output();
      expect(output).toContain("'function'");
      expect(output).toContain("'db ready'");
      expect(output).toMatch(/In scope: app, container, resolve, publish, db/);
      expect(output).toContain('routemq console: connections closed');
      expect(existsSync(join(home, '.routemq_history'))).toBe(true);
    } finally {
      await subscriber.close();
    }
  });

  it('says what to do when no broker answers', async () => {
    const run = runConsole(['.exit'], { HOME: home, MQTT_PORT: '1', DATA_DIR: join(home, 'data') });
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(
      /ERR_BROKER_UNREACHABLE: routemq console could not connect.*set MQTT_BROKER/,
    );
  });
});
