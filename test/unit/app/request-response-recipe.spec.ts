import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestApp } from '../../../src/testing';
import { markedBlocks } from '../../docs/code-blocks';
import { loadSource } from './compile-fixture';

// The code of docs/request-response.md, run as written: the replies its table promises.
const page = readFileSync(join(__dirname, '../../../docs/request-response.md'), 'utf8');
const { AppModule } = loadSource(markedBlocks(page)[0].code, true);

describe('docs/request-response.md', () => {
  const cases: [string, unknown, Record<string, string | string[]> | undefined, unknown][] = [
    ['a token field', { token: 'secret-token' }, undefined, { device_id: 'dev-1', online: true }],
    [
      'a token user property',
      { token: 'x' },
      { token: ['secret-token', 'y'] },
      { device_id: 'dev-1', online: true },
    ],
    ['a wrong token', { token: 'nope' }, undefined, { error: 'unauthorized' }],
    ['a payload failing the DTO', { token: 5 }, { token: 'secret-token' }, { error: 'invalid request' }],
  ];
  it.each(cases)('replies to %s', async (_name, payload, userProperties, reply) => {
    const app = await createTestApp(AppModule);
    try {
      const { published } = await app.dispatch('devices/dev-1/status/get', payload, {
        qos: 1,
        properties: userProperties ? { userProperties } : {},
      });
      expect(published.map((m) => [m.topic, m.json])).toEqual([['devices/dev-1/status', reply]]);
    } finally {
      await app.close();
    }
  });
});
