import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const LIB = join(__dirname, '../../../dist/lib/index.js');

/**
 * A plain app (no DTO, no entities, no REDIS_URL) built from dist, in a fresh process; prints the
 * heavy packages that ended up loaded.
 */
const SCRIPT = `
require('reflect-metadata');
const { Controller, Topic, Payload, Module, createApp } = require(${JSON.stringify(LIB)});
class Plain { data(payload) { return payload; } }
Reflect.defineMetadata('design:paramtypes', [Object], Plain.prototype, 'data');
Payload()(Plain.prototype, 'data', 0);
Topic('plain/{id}')(Plain.prototype, 'data', Object.getOwnPropertyDescriptor(Plain.prototype, 'data'));
Controller()(Plain);
class AppModule {}
Module({ controllers: [Plain] })(AppModule);
createApp(AppModule, { env: {}, logLevel: 'silent' }).then(() => {
  const heavy = ['class-validator', 'class-transformer', 'typeorm', 'ioredis'];
  const loaded = heavy.filter((name) => Object.keys(require.cache).some((file) => file.includes('/node_modules/' + name + '/')));
  console.log(JSON.stringify(loaded));
});
`;

describe('optional libraries load only when used', () => {
  it('an app without DTOs, entities or REDIS_URL loads none of class-validator, class-transformer, TypeORM, ioredis', () => {
    if (!existsSync(LIB)) throw new Error(`${LIB} is missing: run "npm run build" first (npm test does).`);
    const output = execFileSync(process.execPath, ['-e', SCRIPT], {
      cwd: join(__dirname, '../../..'),
      encoding: 'utf8',
    });
    expect(JSON.parse(output.trim())).toEqual([]);
  });
});
