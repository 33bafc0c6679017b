import 'reflect-metadata';
import { join } from 'node:path';
import { runRoutes } from '../../../src/cli/commands/routes';
import { exampleTopic } from '../../../src/cli/overlaps';
import { COMMANDS } from '../../../src/cli/main';
import { runCli } from '../../../src/cli/program';
import { recordingIo } from './cli-io';

const fixtures = join(__dirname, 'fixtures');

describe('routemq routes', () => {
  it('prints one row per route: template, subscription, QoS, group, workers, middleware, handler', async () => {
    const io = recordingIo(fixtures, { MQTT_BROKER: 'mqtt://broker:1883' });
    await runRoutes('iot.module.ts', {}, io);
    const [table] = io.stdout;
    const lines = table.split('\n');
    expect(lines[0].split(/\s{2,}/)).toEqual([
      'TEMPLATE',
      'SUBSCRIPTION',
      'QOS',
      'SHARED',
      'WORKERS',
      'BATCH',
      'MIDDLEWARE',
      'HANDLER',
    ]);
    expect(lines[1].split(/\s{2,}/)).toEqual([
      'sensors/{device_id}/data',
      '$share/routemq/sensors/+/data',
      '1',
      'routemq',
      '2',
      '-',
      'Audit',
      'SensorController.data',
    ]);
    expect(table).toMatch(/ops\/ping\s+ops\/ping\s+2\s+-\s+1\s+-\s+Audit\s+ops:on\('ops\/ping'\)/);
    expect(table).toMatch(
      /files\/\{owner\}\/\{path\*\}\s+files\/\+\/#\s+0\s+-\s+1\s+-\s+-\s+FileController\.file/,
    );
    expect(table).toContain('SensorController.config -> sensors/{device_id}/config');
  });

  it('reports conflicts (same filter) and overlaps (shared topics) with an example topic', async () => {
    const io = recordingIo(fixtures, { MQTT_BROKER: 'mqtt://broker:1883' });
    await runRoutes('iot.module.ts', {}, io);
    const table = io.stdout[0];
    expect(table).toContain('1 conflict(s), 4 overlap(s) (a topic matching several routes runs each once):');
    expect(table).toContain(
      'conflict: SensorController.data and ops:logReading share the filter sensors/+/data; every message runs both',
    );
    expect(table).toContain(
      'overlap: SensorController.data (sensors/+/data) and SensorController.everything (sensors/+/#) both run for a topic like sensors/x/data',
    );
  });

  it('says when shared routes cannot be shared (embedded broker)', async () => {
    const io = recordingIo(fixtures, {});
    await runRoutes('iot.module.ts', {}, io);
    expect(io.stdout[0]).toMatch(/sensors\/\{device_id\}\/data\s+sensors\/\+\/data\s/);
    expect(io.stdout[0]).toContain('MQTT_BROKER is unset: the embedded broker has no shared subscriptions');
  });

  it('prints JSON with --json', async () => {
    const io = recordingIo(fixtures, { MQTT_BROKER: 'mqtt://broker:1883', MQTT_GROUP_NAME: 'iot' });
    await runRoutes('iot.module.ts', { json: true }, io);
    const parsed = JSON.parse(io.stdout[0]) as {
      routes: { template: string; subscription: string; group?: string; middleware: string[] }[];
      overlaps: { kind: string }[];
    };
    expect(parsed.routes[0]).toMatchObject({
      template: 'sensors/{device_id}/data',
      subscription: '$share/iot/sensors/+/data',
      group: 'iot',
      middleware: ['Audit'],
    });
    expect(parsed.overlaps.filter((o) => o.kind === 'conflict')).toHaveLength(1);
  });

  it('picks a module by name when the entry exports several, and explains otherwise', async () => {
    const io = recordingIo(fixtures);
    await runRoutes('two-modules.ts', { module: 'SecondModule' }, io);
    expect(io.stdout[0]).toContain('No conflicts or overlaps.');
    expect(await runCli(['routes', 'two-modules.ts'], COMMANDS, io)).toBe(1);
    expect(io.stderr.at(-1)).toMatch(
      /ERR_MODULE_INVALID: [\s\S]*it exports FirstModule, SecondModule: choose one with --module/,
    );
    expect(await runCli(['routes', 'no-module.ts'], COMMANDS, io)).toBe(1);
    expect(io.stderr.at(-1)).toMatch(/it exports no @Module class[\s\S]*require\.main === module/);
    expect(await runCli(['routes', 'missing.js'], COMMANDS, io)).toBe(1);
    expect(io.stderr.at(-1)).toMatch(/missing\.js does not exist: build the app first/);
  });

  it('reports route errors at boot the way createApp does', async () => {
    const io = recordingIo(fixtures);
    expect(
      await runCli(['routes', 'iot.module.ts'], COMMANDS, { ...io, env: { WORKER_COUNT: 'many' } }),
    ).toBe(1);
    expect(io.stderr.at(-1)).toMatch(/ERR_CONFIG_INVALID[\s\S]*WORKER_COUNT/);
  });
});

describe('exampleTopic (a topic two overlapping filters share)', () => {
  it.each([
    ['sensors/+/data', 'sensors/#', 'sensors/x/data'],
    ['a/+', '+/b', 'a/b'],
    ['a/#', 'a/#', 'a'],
    ['#', '+/+/c', 'x/x/c'],
    ['x/+/z', 'x/y/+', 'x/y/z'],
  ])('%s and %s share %s', (a, b, topic) => {
    expect(exampleTopic(a, b)).toBe(topic);
  });
});
