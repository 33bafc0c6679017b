import 'reflect-metadata';
import Redis from 'ioredis';
import { Client } from 'pg';
import { QueryFailedError } from 'typeorm';
import { RouteMQError } from '../../../src/errors';
import { isUnavailableError } from '../../../src/retry/unavailable-error';
import { parseJsonObject } from '../../../src/validation/safe-json';
import { freePort } from '../../utils/free-port';

/** What a driver really throws, caught. */
async function caught(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('isUnavailableError: by identity, never by message text', () => {
  it('is false for errors carrying sender text that reads like an outage', () => {
    const notJson = caught(async () => parseJsonObject(Buffer.from('Connection is closed'), 'S.data'));
    return notJson.then((error) => {
      expect(error).toBeInstanceOf(RouteMQError);
      expect(String((error as Error).message)).toContain('Connection is closed');
      expect(isUnavailableError(error)).toBe(false);
      expect(isUnavailableError(new SyntaxError('"Connection terminated" is not valid JSON'))).toBe(false);
      expect(isUnavailableError(new Error('Connection is closed.'))).toBe(false);
      const topic = new RouteMQError('ERR_PUBLISH_TOPIC_INVALID', 'the value "$Connection is closed" ...');
      expect(isUnavailableError(topic)).toBe(false);
      // Fake stack frames in the message do not make a driver error either.
      const forged = new Error('x\n    at Foo (/app/node_modules/ioredis/built/Redis.js:1:1)');
      expect(isUnavailableError(forged)).toBe(false);
    });
  });

  it('is false for a message error even when its cause is a socket error', () => {
    const cause = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(isUnavailableError(new RouteMQError('ERR_VALIDATION_FAILED', 'bad', { cause }))).toBe(false);
    expect(isUnavailableError(new RouteMQError('ERR_BROKER_UNREACHABLE', 'wrapped', { cause }))).toBe(true);
  });

  it('is true for what ioredis throws while Redis is unreachable', async () => {
    const redis = new Redis({
      port: await freePort(),
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    redis.on('error', () => undefined);
    const error = await caught(() => redis.get('k'));
    redis.disconnect();
    expect(String((error as Error).message)).toMatch(/closed|writeable|retries/i);
    expect(isUnavailableError(error)).toBe(true);
  });

  it('is true for what pg throws when PostgreSQL is unreachable, and for connection SQLSTATEs', async () => {
    const client = new Client({ host: '127.0.0.1', port: await freePort(), connectionTimeoutMillis: 2000 });
    expect(isUnavailableError(await caught(() => client.connect()))).toBe(true);
    const shutdown = Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
    });
    expect(isUnavailableError(new QueryFailedError('SELECT 1', [], shutdown))).toBe(true);
    const lost = Object.assign(new Error('connection failure'), { code: '08006' });
    expect(isUnavailableError(new QueryFailedError('SELECT 1', [], lost))).toBe(true);
    const constraint = Object.assign(new Error('duplicate key'), { code: '23505' });
    expect(isUnavailableError(new QueryFailedError('INSERT', [], constraint))).toBe(false);
  });
});
