import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, occupyPort } from '../utils/free-port';
import { TestClient } from '../utils/test-client';

const MAIN = join(__dirname, '../../dist/main.js');

interface Started {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

function startMain(env: Record<string, string>): Started {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" first (npm test does).`);
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', ...env },
    cwd: join(__dirname, '../..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitForOutput(started: Started, text: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!started.output().includes(text)) {
    if (Date.now() > deadline) throw new Error(`"${text}" never appeared; output:\n${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('node dist/main.js (the example app as a process)', () => {
  it('starts the embedded broker, logs its routes, handles a reading and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const app = startMain({ MQTT_PORT: String(port) });
    try {
      await waitForOutput(app, 'route sensors/{device_id}/data');
      expect(app.output()).toContain(`embedded MQTT broker (aedes) listening on port ${port}`);
      const client = await TestClient.connect(`mqtt://127.0.0.1:${port}`, 4);
      await client.subscribe('alerts/#');
      await client.publish('sensors/dev-1/data', { temperature: 72 });
      expect((await client.next('alerts/dev-1')).json).toEqual({ device_id: 'dev-1', temperature: 72 });
      await client.close();
      app.child.kill('SIGTERM');
      expect(await app.exited).toBe(0);
      expect(app.output()).toContain('"msg":"stopped"');
    } finally {
      app.child.kill('SIGKILL');
    }
  });

  it('stops with a clear message when the embedded broker port is taken', async () => {
    const held = await occupyPort();
    try {
      const app = startMain({ MQTT_PORT: String(held.port) });
      expect(await app.exited).toBe(1);
      expect(app.output()).toContain(`port ${held.port} is already in use`);
      expect(app.output()).toContain('MQTT_BROKER');
      expect(app.output()).toContain('MQTT_PORT');
    } finally {
      await held.close();
    }
  });

  it('stops with one message naming every bad variable', async () => {
    const app = startMain({ MQTT_PORT: 'abc', LOG_LEVEL: 'loud', ALERT_THRESHOLD: '50' });
    expect(await app.exited).toBe(1);
    expect(app.output()).toMatch(/ERR_CONFIG_INVALID[\s\S]*MQTT_PORT[\s\S]*LOG_LEVEL/);
  });
});
