import 'reflect-metadata';
import { IsNumber } from 'class-validator';
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { Controller, Module, Param, Payload, PayloadValidationError, Topic, isRouteMQError } from 'routemq';
import { createTestApp, type TestApp } from 'routemq/testing';
import { jsonLimitViolation } from '../../../src/pipeline/payload';

class Reading {
  @IsNumber()
  temperature!: number;
}

@Controller('in')
class HostileController {
  static runs = 0;

  @Topic('plain', { qos: 1 })
  plain(@Payload() body: unknown) {
    HostileController.runs++;
    return typeof body;
  }

  @Topic('dto', { qos: 1 })
  dto(@Payload() reading: Reading) {
    HostileController.runs++;
    return reading.temperature;
  }

  @Topic('raw', { qos: 1 })
  raw(@Payload() bytes: Buffer) {
    HostileController.runs++;
    return bytes.length;
  }

  @Topic('{id}/get', { qos: 1, reply: 'state/{id}' })
  get(@Param('id') id: string) {
    return { id };
  }

  @Topic('strict', { qos: 1, validation: { forbidNonWhitelisted: true } })
  strict(@Payload() reading: Reading) {
    HostileController.runs++;
    return reading.temperature;
  }

  @Topic('down', { qos: 1, retry: { attempts: 2 } })
  down() {
    HostileController.runs++;
    throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });
  }

  @Topic('deep/#', { qos: 1, retry: { attempts: 1 } })
  deep() {
    throw new Error('always');
  }
}

@Module({ controllers: [HostileController] })
class HostileModule {}

/** A pino logger writing every line into `lines`, as the app's own JSON log lines would be written. */
function capturingLogger(lines: string[]): Logger {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return pino({ level: 'info' }, sink);
}

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('hostile input', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(HostileModule, { maxJsonKeys: 100 });
  });
  afterAll(() => t.close());
  beforeEach(() => (HostileController.runs = 0));

  it.each(['in/plain', 'in/dto'])(
    '%s: refuses JSON deeper than MAX_JSON_DEPTH before parsing, dead-lettered, not retried',
    async (topic) => {
      const { error, outcomes, published } = await t.dispatch(topic, `{"temperature":1,"x":${nested(32)}}`, {
        qos: 1,
      });
      expect(isRouteMQError(error, 'ERR_PAYLOAD_INVALID')).toBe(true);
      expect((error as Error).message).toContain('nesting deeper than 32 levels (MAX_JSON_DEPTH)');
      expect(outcomes[0]).toMatchObject({ attempts: 1, deadLettered: true });
      expect(published.map((m) => m.topic)).toEqual([`routemq/dead-letter/${topic}`]);
      expect(HostileController.runs).toBe(0);
    },
  );

  it('accepts JSON at the depth limit, and brackets inside strings do not count', async () => {
    expect((await t.dispatch('in/plain', `{"x":${nested(31)}}`)).error).toBeUndefined();
    expect(
      (
        await t.dispatch('in/plain', {
          s: '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["\\"{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{',
        })
      ).error,
    ).toBeUndefined();
    expect(HostileController.runs).toBe(2);
  });

  it('refuses more object keys than MAX_JSON_KEYS (here 100), counted over the whole payload', async () => {
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, i]));
    const { error } = await t.dispatch('in/plain', many);
    expect((error as Error).message).toContain('more than 100 object keys (MAX_JSON_KEYS)');
    const fine = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, `a:b:${i}`]));
    expect((await t.dispatch('in/plain', fine)).error).toBeUndefined();
  });

  it('survives a 100k-deep payload (fast, no stack overflow), and applies to Buffer routes too', async () => {
    const started = performance.now();
    const { error } = await t.dispatch('in/raw', nested(100_000));
    expect(performance.now() - started).toBeLessThan(200);
    expect(isRouteMQError(error, 'ERR_PAYLOAD_INVALID')).toBe(true);
    // Binary frames and scalars are not JSON containers: never scanned.
    expect((await t.dispatch('in/raw', Buffer.from([0x00, 0x5b, 0x5b, 0x5b]))).result).toBe(4);
  });

  it.each([
    ['in/dto', 'Connection is closed'],
    ['in/strict', '{"temperature":1,"Connection terminated":1}'],
    ['in/$Connection is closed/get', ''],
  ])('%s with %j: a poison message is dead-lettered, never waited on as an outage', async (topic, body) => {
    const { error, outcomes, published } = await t.dispatch(topic, body, { qos: 1 });
    expect(error).toBeDefined();
    expect(outcomes[0]).toMatchObject({ attempts: 1, deadLettered: true });
    expect(published.map((m) => m.topic)).toEqual([`routemq/dead-letter/${topic}`]);
  });

  it('waits for a dependency only UNAVAILABLE_MAX_WAIT_MS, then retries and dead-letters as usual', async () => {
    const bounded = await createTestApp(HostileModule, {
      unavailableMaxWaitMs: 50,
      retryDelayMs: 5,
      retryMaxDelayMs: 10,
    });
    const { error, outcomes, published } = await bounded.dispatch('in/down', {}, { qos: 1 });
    await bounded.close();
    expect(error).toMatchObject({ code: 'ECONNREFUSED' });
    expect(outcomes[0].deadLettered).toBe(true);
    expect(outcomes[0].attempts).toBeGreaterThanOrEqual(2);
    expect(published.map((m) => m.topic)).toEqual(['routemq/dead-letter/in/down']);
  });

  it('scans past a UTF-8 BOM: the depth/key limits cover every byte JSON.parse sees', async () => {
    const many = JSON.stringify(Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, i])));
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    for (const topic of ['in/plain', 'in/dto']) {
      const { error } = await t.dispatch(topic, Buffer.concat([bom, Buffer.from(many)]), { qos: 1 });
      expect((error as Error).message).toContain('more than 100 object keys (MAX_JSON_KEYS)');
    }
    expect(HostileController.runs).toBe(0);
  });

  it('caps validation errors in the error, its log line and the dead letter (first 20, then a count)', async () => {
    const lines: string[] = [];
    const logged = await createTestApp(HostileModule, {
      maxJsonKeys: 20_000,
      logger: capturingLogger(lines),
    });
    const junk = Object.fromEntries(Array.from({ length: 9_990 }, (_, i) => [`undeclared_${i}`, i]));
    const { error, published } = await logged.dispatch('in/strict', { temperature: 1, ...junk }, { qos: 1 });
    await logged.close();
    expect(error).toBeInstanceOf(PayloadValidationError);
    const failure = error as PayloadValidationError;
    expect(failure.constraints).toHaveLength(20);
    expect(failure.constraintCount).toBe(9_990);
    expect(failure.message).toContain('... and 9970 more');
    const longest = Math.max(...lines.map((line) => line.length));
    expect(longest).toBeLessThan(40_000);
    expect(published[0].payload.length - Buffer.byteLength(JSON.stringify(junk))).toBeLessThan(40_000);
  });

  it('refuses a reply topic whose parameter is empty or starts with $ (the topic`...` rule)', async () => {
    expect((await t.dispatch('in/dev-1/get', {})).published.map((m) => m.topic)).toEqual(['state/dev-1']);
    for (const id of ['$SYS', '']) {
      const { error, published } = await t.dispatch(`in/${id}/get`, {}, { qos: 1 });
      expect(isRouteMQError(error, 'ERR_PUBLISH_TOPIC_INVALID')).toBe(true);
      expect(published.map((m) => m.topic)).toEqual([`routemq/dead-letter/in/${id}/get`]);
    }
  });

  it('dead-letters a message from a very deep topic on the prefix alone (never a publish the broker drops)', async () => {
    const levels = Array.from({ length: 198 }, (_, i) => `l${i}`).join('/');
    const { published } = await t.dispatch(`in/deep/${levels}`, {}, { qos: 1 });
    expect(published.map((m) => m.topic)).toEqual(['routemq/dead-letter']);
    expect(published[0].json).toMatchObject({ topic: `in/deep/${levels}` });
    const short = await t.dispatch('in/deep/a', {}, { qos: 1 });
    expect(short.published.map((m) => m.topic)).toEqual(['routemq/dead-letter/in/deep/a']);
  });
});

describe('jsonLimitViolation (the pre-parse scan)', () => {
  const limits = { maxDepth: 3, maxKeys: 2 };
  it.each([
    ['[[[1]]]', undefined],
    ['[[[[1]]]]', 'nesting deeper than 3 levels (MAX_JSON_DEPTH)'],
    ['{"a":1,"b":2}', undefined],
    ['{"a":1,"b":2,"c":3}', 'more than 2 object keys (MAX_JSON_KEYS)'],
    ['{"a":"x:y:z:[[[[[[","b":"\\\\"}', undefined],
    ['{"a":"\\"[[[[[[[[","b":1}', undefined],
    ['  \n[[[[[1]]]]]', 'nesting deeper than 3 levels (MAX_JSON_DEPTH)'],
    ['"[[[[[[[[[[[[[["', undefined],
    ['12345678901234567890', undefined],
  ])('%s', (text, expected) => {
    expect(jsonLimitViolation(Buffer.from(text), limits)).toBe(expected);
  });
});
