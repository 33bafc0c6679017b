import 'reflect-metadata';
import { join } from 'node:path';
import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { runAsyncApi } from '../../../src/cli/commands/asyncapi';
import { recordingIo } from './cli-io';

const fixtures = join(__dirname, 'fixtures');

type Doc = {
  info: { title: string; version: string };
  servers: Record<string, { host: string; protocol: string; protocolVersion: string }>;
  channels: Record<
    string,
    {
      address: string;
      parameters?: Record<string, unknown>;
      messages: Record<string, { payload: unknown; contentType?: string }>;
    }
  >;
  operations: Record<
    string,
    {
      action: string;
      channel: { $ref: string };
      bindings: { mqtt: { qos: number; retain: boolean } };
      reply?: { channel: { $ref: string } };
      'x-routemq': Record<string, unknown>;
    }
  >;
  components: {
    schemas: Record<
      string,
      { properties: Record<string, unknown>; required?: string[]; additionalProperties?: boolean }
    >;
  };
};

async function generate(env: Record<string, string> = {}): Promise<{ doc: Doc; text: string }> {
  const io = recordingIo(fixtures, env);
  await runAsyncApi('iot.module.ts', { title: 'iot', version: '2.1.0' }, io);
  return { doc: JSON.parse(io.stdout[0]) as Doc, text: io.stdout[0] };
}

describe('routemq asyncapi', () => {
  it('writes a document the AsyncAPI parser accepts without errors or warnings', async () => {
    const { text } = await generate({ MQTT_BROKER: 'mqtts://user:secret@broker.example:8883' });
    const { document, diagnostics } = await new Parser().parse(text);
    const problems = diagnostics.filter((d) => d.severity < DiagnosticSeverity.Information);
    expect(problems.map((d) => `${d.message} at ${d.path.join('.')}`)).toEqual([]);
    expect(document?.version()).toBe('3.0.0');
    expect(document?.operations().length).toBe(7);
  });

  it('describes the broker without its credentials', async () => {
    const { doc, text } = await generate({ MQTT_BROKER: 'mqtts://user:secret@broker.example:8883' });
    expect(doc.servers.broker).toEqual({
      host: 'broker.example:8883',
      protocol: 'mqtts',
      protocolVersion: '5',
    });
    expect(text).not.toContain('secret');
    expect((await generate()).doc.servers.broker).toMatchObject({
      host: 'localhost:1883',
      protocolVersion: '3.1.1',
    });
  });

  it('makes a channel per template, with parameters, including rest parameters and bare wildcards', async () => {
    const { doc } = await generate();
    const addresses = Object.fromEntries(
      Object.values(doc.channels).map((c) => [c.address, Object.keys(c.parameters ?? {})]),
    );
    expect(addresses).toMatchObject({
      'sensors/{device_id}/data': ['device_id'],
      'sensors/{level2}/{rest}': ['level2', 'rest'],
      'files/{owner}/{path}': ['owner', 'path'],
      'ops/ping': [],
      'sensors/{device_id}/config': ['device_id'],
    });
  });

  it('gives each route a receive operation with its MQTT binding, RouteMQ details and reply channel', async () => {
    const { doc } = await generate({ MQTT_BROKER: 'mqtt://broker:1883' });
    expect(doc.operations.SensorController_data).toMatchObject({
      action: 'receive',
      bindings: { mqtt: { qos: 1, retain: false } },
      'x-routemq': {
        subscription: '$share/routemq/sensors/+/data',
        shared: true,
        group: 'routemq',
        workers: 2,
        middleware: ['Audit'],
      },
    });
    const reply = doc.operations.SensorController_config.reply?.channel.$ref ?? '';
    expect(doc.channels[reply.replace('#/channels/', '')].address).toBe('sensors/{device_id}/config');
    expect(doc.operations.ops_on__ops_ping__.bindings.mqtt.qos).toBe(2);
  });

  it('derives payload schemas from the class-validator DTO, nested DTOs included', async () => {
    const { doc } = await generate();
    const data = Object.values(doc.channels).find((c) => c.address === 'sensors/{device_id}/data');
    expect(data?.messages.SensorController_data.payload).toEqual({ $ref: '#/components/schemas/ReadingDto' });
    expect(doc.components.schemas.ReadingDto).toMatchObject({
      additionalProperties: false,
      required: ['temperature', 'location'],
      properties: {
        temperature: { type: 'number', minimum: -50, maximum: 150 },
        unit: { type: 'string', enum: ['c', 'f'] },
        location: { $ref: '#/components/schemas/Location' },
      },
    });
    expect(doc.components.schemas.Location.properties).toEqual({ room: { type: 'string' } });
    const raw = Object.values(doc.channels).find((c) => c.address === 'sensors/{device_id}/raw');
    expect(raw?.messages.SensorController_raw).toMatchObject({
      contentType: 'application/octet-stream',
      payload: { type: 'string', format: 'binary' },
    });
  });
});
