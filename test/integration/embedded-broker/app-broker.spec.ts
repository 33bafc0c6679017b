import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { connectAsync } from 'mqtt';
import { Controller, createApp, Module, Param, Payload, Topic, type RouteMQApp } from '../../../src';
import { waitUntil } from '../../contract/contract-helpers';
import { captureLogs, type LogLine } from '../integrations/support/log-capture';

const run = promisify(execFile);
const readings: unknown[] = [];

@Controller('sensors')
class SensorController {
  @Topic('{id}/data', { qos: 1 })
  data(@Payload() reading: unknown) {
    readings.push(reading);
  }

  @Topic('{id}/status/get', { qos: 1, reply: 'sensors/{id}/status' })
  status(@Param('id') id: string) {
    return { id, online: true };
  }
}

@Module({ controllers: [SensorController] })
class SensorModule {}

const messages = (lines: LogLine[]): string[] => lines.map((line) => String(line.msg));

describe('the app on its embedded broker', () => {
  let app: RouteMQApp | undefined;
  afterEach(async () => {
    await app?.stop();
    app = undefined;
    readings.length = 0;
  });

  const start = async (env: Record<string, string>): Promise<{ port: number; lines: LogLine[] }> => {
    const logs = captureLogs('info');
    app = await createApp(SensorModule, { env: { MQTT_PORT: '0', ...env }, logger: logs.logger });
    await app.start();
    const line = logs.lines.find((l) => String(l.msg).startsWith('embedded MQTT broker (aedes) listening'));
    const port = Number(/listening on port (\d+)/.exec(String(line?.msg))?.[1]);
    return { port, lines: logs.lines };
  };

  it('says at start what the broker is: MQTT 3.1.1, in memory, anonymous on loopback only', async () => {
    const { lines } = await start({});
    const text = messages(lines).join('\n');
    expect(text).toContain('MQTT 3.1.1 only, no shared subscriptions, in-memory, anonymous clients allowed');
    expect(text).toContain('accepts anonymous clients (on 127.0.0.1 only)');
    expect(text).toContain('messages it acknowledged to devices die with this process');
    expect(text).toContain('REDIS_URL');
  });

  it('with MQTT_USERNAME/MQTT_PASSWORD, devices need that account, and the app still serves them', async () => {
    const { port } = await start({
      MQTT_USERNAME: 'device',
      MQTT_PASSWORD: 'pw-13',
      MQTT_CLIENT_ID: 'app-13',
    });
    const anonymous = run('mosquitto_pub', [
      '-p',
      String(port),
      '-t',
      'sensors/a/data',
      '-m',
      '{}',
      '-q',
      '1',
    ]);
    await expect(anonymous).rejects.toMatchObject({ stderr: expect.stringMatching(/not authori[sz]ed/i) });
    const takeover = connectAsync(`mqtt://127.0.0.1:${port}`, {
      ...{
        clientId: 'app-13',
        username: 'device',
        password: 'pw-13',
        protocolVersion: 4,
        reconnectPeriod: 0,
      },
    });
    await expect(takeover).rejects.toMatchObject({ code: 2 });
    await run('mosquitto_pub', [
      ...['-p', String(port), '-u', 'device', '-P', 'pw-13', '-q', '1'],
      ...['-t', 'sensors/a/data', '-m', '{"t":21}'],
    ]);
    await waitUntil('the reading', () => readings.length === 1);
    expect(readings).toEqual([{ t: 21 }]);
  });

  it('answers on the reply topic, the MQTT 3.1.1 fallback for request/response', async () => {
    const { port } = await start({});
    const requester = await connectAsync(`mqtt://127.0.0.1:${port}`, {
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    const answers: string[] = [];
    requester.on('message', (topic, payload) => answers.push(`${topic} ${payload.toString()}`));
    await requester.subscribeAsync('sensors/+/status', { qos: 1 });
    await requester.publishAsync('sensors/s-7/status/get', '{}', { qos: 1 });
    await waitUntil('the reply', () => answers.length === 1);
    expect(answers).toEqual(['sensors/s-7/status {"id":"s-7","online":true}']);
    await requester.endAsync();
  });

  it('logs a warning when a client tries MQTT 5, which the embedded broker does not speak', async () => {
    const { port, lines } = await start({});
    await expect(
      connectAsync(`mqtt://127.0.0.1:${port}`, { protocolVersion: 5, reconnectPeriod: 0 }),
    ).rejects.toBeDefined();
    await waitUntil('the warning', () => messages(lines).some((m) => m.includes('speaks MQTT 3.1.1 only')));
  });

  it('refuses to bind another interface without credentials, naming both ways to give them', async () => {
    const error = await createApp(SensorModule, { env: { EMBEDDED_BROKER_HOST: '0.0.0.0' } }).catch(
      (e: Error) => e,
    );
    expect(error).toMatchObject({ code: 'ERR_CONFIG_INVALID' });
    const message = (error as Error).message;
    for (const variable of [
      'EMBEDDED_BROKER_HOST',
      'EMBEDDED_BROKER_USERS',
      'MQTT_USERNAME',
      'MQTT_PASSWORD',
    ])
      expect(message).toContain(variable);
  });
});
