import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCliProcess } from './cli-process';

// The built executable, against the built example app (dist/app.module.js exports AppModule).
describe('the routemq executable', () => {
  it('prints the version and the commands', () => {
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;
    expect(runCliProcess(['--version'], ROOT).stdout.trim()).toBe(version);
    const help = runCliProcess(['--help'], ROOT);
    expect(help.code).toBe(0);
    for (const command of ['new', 'routes', 'dev', 'asyncapi', 'console'])
      expect(help.stdout).toContain(command);
  });

  it('routes prints the example app table; --json for machines', () => {
    const table = runCliProcess(['routes', 'dist/app.module.js'], ROOT);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(
      /sensors\/\{device_id\}\/data\s+sensors\/\+\/data\s+1\s+-\s+1\s+500\/50ms\s+TimingMiddleware\s+SensorController\.ingest/,
    );
    const json = JSON.parse(runCliProcess(['routes', 'dist/app.module.js', '--json'], ROOT).stdout) as {
      routes: { handler: string }[];
    };
    expect(json.routes.map((r) => r.handler)).toEqual(['SensorController.ingest', 'DeviceController.status']);
  });

  it('asyncapi writes the document to a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'routemq-asyncapi-'));
    try {
      const file = join(dir, 'asyncapi.json');
      const result = runCliProcess(['asyncapi', 'dist/app.module.js', '-o', file], ROOT);
      expect(result.code).toBe(0);
      const doc = JSON.parse(readFileSync(file, 'utf8')) as {
        asyncapi: string;
        components: { schemas: object };
      };
      expect(doc.asyncapi).toBe('3.0.0');
      expect(Object.keys(doc.components.schemas)).toEqual(['SensorReadingDto']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('loads an ES module entry with top-level await that starts its app, without connecting', () => {
    const result = runCliProcess(['routes', 'test/integration/cli/fixtures/esm/main.mjs', '--json'], ROOT);
    expect(result.stderr).not.toContain('ERR_REQUIRE_ASYNC_MODULE');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as { routes: { handler: string; template: string }[] };
    expect(json.routes).toMatchObject([
      { handler: 'SensorController.data', template: 'sensors/{device_id}/data' },
    ]);
  });

  it('says in one line why discovery cannot load an ES module with top-level await', () => {
    const result = runCliProcess(['routes', 'test/integration/cli/fixtures/esm-tla/main.mjs'], ROOT);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /slow\.controller\.mjs failed to load: it is an ES module .* top-level await/,
    );
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('exits 1 with a message for people when the entry is missing', () => {
    const result = runCliProcess(['routes', 'dist/nope.js'], ROOT);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^ERR_MODULE_INVALID: Cannot load the app:\n {2}- .*nope\.js does not exist: build the app first/,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
