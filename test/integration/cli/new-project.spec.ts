/**
 * SLOW (about 10 s, most of it `npm install`): proves that `routemq new` makes a project that installs,
 * builds, tests green and runs with the embedded broker as it is. The project depends on this checkout
 * packed with `npm pack` (dist/lib must be built: `npm test` builds first); the other packages come from
 * the npm cache or the registry (`--prefer-offline`), never from elsewhere. `--ignore-scripts` skips
 * better-sqlite3's native build (a download or a compile), which a project without entities never loads.
 * SKIP_SCAFFOLD_INSTALL=1 skips this suite for quick local runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { freePort } from '../../utils/free-port';
import { TestClient } from '../../utils/test-client';
import { ask, ROOT, runCliProcess, startProcess } from './cli-process';

const skip = process.env.SKIP_SCAFFOLD_INSTALL === '1';
const describeInstall = skip ? describe.skip : describe;
if (skip) console.warn('Skipping the routemq new install test: SKIP_SCAFFOLD_INSTALL=1');

function npm(args: string[], cwd: string) {
  const result = spawnSync('npm', args, { cwd, encoding: 'utf8', timeout: 240_000, env: process.env });
  if (result.status !== 0) {
    throw new Error(`npm ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

describeInstall(
  'routemq new: a scaffold that installs, builds, tests green and runs unchanged [slow]',
  () => {
    jest.setTimeout(300_000);
    let work: string;
    let app: string;
    let tarball: string;
    const timings: Record<string, number> = {};
    const timed = <T>(name: string, fn: () => T): T => {
      const started = Date.now();
      try {
        return fn();
      } finally {
        timings[name] = Date.now() - started;
      }
    };

    beforeAll(() => {
      work = mkdtempSync(join(tmpdir(), 'routemq-scaffold-'));
      app = join(work, 'app');
      const [packed] = JSON.parse(
        timed('pack', () => npm(['pack', '--json', '--pack-destination', work], ROOT)),
      ) as {
        filename: string;
      }[];
      tarball = join(work, packed.filename);
      const created = runCliProcess(['new', 'app', '--routemq', `file:${tarball}`], work);
      if (created.code !== 0) throw new Error(created.stderr);
      timed('install', () =>
        npm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], app),
      );
    });
    afterAll(() => {
      console.log(`routemq new scaffold timings (ms): ${JSON.stringify(timings)}`);
      rmSync(work, { recursive: true, force: true });
    });

    it('builds', () => {
      timed('build', () => npm(['run', 'build'], app));
      expect(existsSync(join(app, 'dist/src/main.js'))).toBe(true);
    });

    it('tests green', () => {
      const output = timed('test', () => npm(['test'], app));
      expect(output).toMatch(/# pass 4\n# fail 0/);
    });

    it('has the routemq executable, which reads its route table', () => {
      const result = spawnSync(join(app, 'node_modules/.bin/routemq'), ['routes', '--json'], {
        cwd: app,
        encoding: 'utf8',
      });
      expect(result.status).toBe(0);
      const { routes } = JSON.parse(result.stdout) as { routes: { handler: string }[] };
      expect(routes.map((r) => r.handler)).toEqual(['SensorController.data', "health:on('health/ping')"]);
    });

    it('runs with the embedded broker, answers, raises alerts, and drains on SIGTERM', async () => {
      const port = await freePort();
      const running = startProcess(['dist/src/main.js'], app, { MQTT_PORT: String(port) });
      try {
        await running.waitFor('connected; serving 2 routes');
        expect(running.output()).toContain(`embedded MQTT broker (aedes) listening on port ${port}`);
        expect(await ask(port, 'health/ping', 'health/pong')).toMatchObject({ ok: true });
        const client = await TestClient.connect(`mqtt://127.0.0.1:${port}`, 4);
        await client.subscribe('alerts/#');
        await client.publish('sensors/dev-1/data', { temperature: 72 });
        expect((await client.next('alerts/dev-1')).json).toEqual({ device_id: 'dev-1', temperature: 72 });
        await client.close();
        running.child.kill('SIGTERM');
        expect(await running.exited).toBe(0);
      } finally {
        running.child.kill('SIGKILL');
      }
    });

    it("the packed package's own `routemq new` writes the same project (templates and dotfiles shipped)", () => {
      const again = spawnSync(join(app, 'node_modules/.bin/routemq'), ['new', 'again'], {
        cwd: work,
        encoding: 'utf8',
      });
      expect(again.status).toBe(0);
      const files = (dir: string) =>
        readdirSync(dir, { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => relative(dir, join(e.parentPath, e.name)))
          .filter((f) => !/^(node_modules|dist)\/|^package-lock\.json$/.test(f))
          .sort();
      expect(files(join(work, 'again'))).toEqual(files(app));
      expect(files(app)).toContain('.gitignore');
      // Installed from the tarball, `routemq new` depends on that tarball (a range would be E404).
      const manifest = JSON.parse(readFileSync(join(work, 'again/package.json'), 'utf8')) as {
        dependencies: Record<string, string>;
      };
      expect(manifest.dependencies.routemq).toBe(`file:${tarball}`);
    });

    it('uses the packed package, not this checkout', () => {
      const installed = join(app, 'node_modules/routemq');
      expect(lstatSync(installed).isSymbolicLink()).toBe(false);
      expect(existsSync(join(installed, 'dist/lib/index.js'))).toBe(true);
      expect(existsSync(join(installed, 'templates/new/src/main.ts'))).toBe(true);
    });
  },
);
