import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { Controller, createApp, Module, Param, Payload, Topic, type RouteMQApp } from '../../../src/index';
import { sealRetryEnvelope, type RetryEnvelope } from '../../../src/retry/retry-envelope';
import { describeExternalBroker, externalBrokerUrl } from '../../utils/external-broker';
import { TestClient } from '../../utils/test-client';

const runs: Array<{ id: string; attempt: string }> = [];
const SECRET = 'a-test-retry-secret-of-32-chars!';

@Controller('forge')
class ForgeController {
  @Topic('{id}/in', { qos: 1, retry: { attempts: 3, delayMs: 10, maxDelayMs: 1000 } })
  handle(@Param('id') id: string, @Payload() body: unknown) {
    runs.push({ id, attempt: typeof body });
  }
}

@Module({ controllers: [ForgeController] })
class ForgeModule {}

function envelope(overrides: Partial<RetryEnvelope>): RetryEnvelope {
  return {
    v: 1,
    route: 'ForgeController.handle',
    topic: 'forge/d1/in',
    params: { id: 'd1' },
    payload: Buffer.from('{}').toString('base64'),
    qos: 1,
    retain: false,
    attempt: 2,
    notBefore: Date.now(),
    ...overrides,
  };
}

async function until(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describeExternalBroker('retry lane: forged envelopes are dropped, never run', () => {
  let app: RouteMQApp;
  let client: TestClient;
  let lane: string;
  const warnings: Array<{ reason?: string; msg: string }> = [];
  beforeAll(async () => {
    const clientId = `forge-${randomUUID().slice(0, 8)}`;
    lane = `routemq/retry/${clientId}`;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) {
          const entry = JSON.parse(line) as { reason?: string; msg: string; level: number };
          if (entry.level === 40) warnings.push(entry);
        }
        done();
      },
    });
    app = await createApp(ForgeModule, {
      env: {},
      broker: externalBrokerUrl(),
      clientId,
      retrySecret: SECRET,
      logger: pino({ level: 'warn' }, sink),
    });
    await app.start();
    client = await TestClient.connect(externalBrokerUrl(), 5);
  });
  afterAll(async () => {
    await client?.close();
    await app?.stop();
  });

  const forge = (bytes: Buffer | string) => client.publish(lane, bytes);
  const dropped = () => warnings.filter((w) => w.msg.startsWith('retry envelope dropped'));

  it('drops unsigned, foreign-key and out-of-range envelopes with one warning each, and runs none', async () => {
    runs.length = 0;
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    await forge(JSON.stringify(envelope({ attempt: -200 }))); // the unsigned format
    await forge(sealRetryEnvelope(envelope({}), 'another-app-secret-0123456789abc'));
    await forge(sealRetryEnvelope(envelope({ attempt: -200 }), SECRET));
    await forge(sealRetryEnvelope(envelope({ attempt: 4 }), SECRET));
    await forge(sealRetryEnvelope(envelope({ notBefore: Date.now() + 10 * 86_400_000 }), SECRET));
    await forge(sealRetryEnvelope(envelope({ topic: 'forge/a/b/c/in' }), SECRET));
    await until('six drops', () => dropped().length >= 6);
    expect(dropped().map((w) => w.reason)).toEqual([
      'unauthenticated',
      'unauthenticated',
      'attempt_out_of_range',
      'attempt_out_of_range',
      'not_before_out_of_range',
      'topic_mismatch',
    ]);
    // A correctly signed envelope still passes every pre-handler check again: a deep payload is refused.
    await client.subscribe('routemq/dead-letter/forge/#');
    await forge(sealRetryEnvelope(envelope({ payload: Buffer.from(deep).toString('base64') }), SECRET));
    const letter = await client.next('routemq/dead-letter/forge/d1/in', 10_000);
    expect(letter.json).toMatchObject({ error: { code: 'ERR_PAYLOAD_INVALID' } });
    expect(runs).toEqual([]);
  });

  it('takes the parameters from the topic, never from the envelope', async () => {
    runs.length = 0;
    await forge(sealRetryEnvelope(envelope({ params: { id: 'a/b/c' } }), SECRET));
    await until('the retry', () => runs.length === 1);
    expect(runs[0].id).toBe('d1');
  });
});
