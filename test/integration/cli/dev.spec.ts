import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNew } from '../../../src/cli/commands/new';
import { freePort } from '../../utils/free-port';
import { recordingIo } from '../../unit/cli/cli-io';
import { ask, CLI, linkToCheckout, startProcess, type Running } from './cli-process';

// `routemq dev` on a fresh scaffold linked to this checkout: starts, reloads on a change, keeps the
// running app on a type error, and drains the app when stopped.
describe('routemq dev', () => {
  jest.setTimeout(120_000);
  let work: string;
  let dev: Running | undefined;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'routemq-dev-'));
    runNew('app', {}, recordingIo(work));
    linkToCheckout(join(work, 'app'));
  });
  afterAll(() => {
    dev?.child.kill('SIGKILL');
    rmSync(work, { recursive: true, force: true });
  });

  it('serves the app, reloads it on a change, keeps it on a type error, and drains it on SIGTERM', async () => {
    const app = join(work, 'app');
    const port = await freePort();
    dev = startProcess([CLI, 'dev'], app, { MQTT_PORT: String(port), LOG_LEVEL: 'info' });
    await dev.waitFor('connected; serving', 60_000);
    expect(await ask(port, 'health/ping', 'health/pong')).toMatchObject({ ok: true });

    const routes = join(app, 'src/health.routes.ts');
    const original = readFileSync(routes, 'utf8');
    const changed = Date.now();
    const mark = dev.output().length;
    writeFileSync(
      routes,
      `${original}\nhealthRouter.on('health/version', () => ({ version: 2 }), { reply: 'health/version/reply' });\n`,
    );
    expect(await ask(port, 'health/version', 'health/version/reply', 60_000)).toEqual({ version: 2 });
    const reloadMs = Date.now() - changed;
    await dev.waitFor(/built in \d+ ms/, 5000, mark);
    console.log(`routemq dev: change to new route served in ${reloadMs} ms`);

    const broken = dev.output().length;
    writeFileSync(routes, `${original}\nconst oops: number = 'not a number';\n`);
    await dev.waitFor('the running app is kept', 60_000, broken);
    expect(await ask(port, 'health/version', 'health/version/reply')).toEqual({ version: 2 });

    dev.child.kill('SIGTERM');
    expect(await dev.exited).toBe(0);
    // `routemq dev` logs through pino-pretty by default: `INFO (routemq/<pid>): stopped`.
    expect(dev.output()).toMatch(/\): stopped\n|"msg":"stopped"/);
  });

  it('--no-build restarts a JavaScript entry when a file next to it changes', async () => {
    const dir = join(work, 'plain');
    mkdirSync(dir);
    const entry = join(dir, 'main.js');
    writeFileSync(
      entry,
      "console.log('started', require('./version.json').v); process.on('SIGTERM', () => process.exit(0)); setInterval(() => {}, 1000);\n",
    );
    writeFileSync(join(dir, 'version.json'), '{"v":1}');
    const plain = startProcess([CLI, 'dev', 'plain/main.js', '--no-build'], work, {});
    try {
      await plain.waitFor('started 1');
      writeFileSync(join(dir, 'version.json'), '{"v":2}');
      await plain.waitFor('started 2');
      plain.child.kill('SIGTERM');
      expect(await plain.exited).toBe(0);
    } finally {
      plain.child.kill('SIGKILL');
    }
  });
});
