import 'reflect-metadata';
import { Controller, Module, Param, Topic } from '../../../src/index';
import { createTestApp, type TestApp } from '../../../src/testing';
import { MemoryBroker } from '../../../src/transport/memory-broker';
import { MemoryTransport } from '../../../src/transport/memory-transport';
import type { InboundMessage } from '../../../src/transport/transport';

@Controller('foo')
class FooController {
  @Topic('{id}')
  one(@Param('id') id: string) {
    return id;
  }

  @Topic('/{id}')
  afterEmptyLevel(@Param('id') id: string) {
    return `empty-then-${id}`;
  }
}

@Module({ controllers: [FooController] })
class FooModule {}

describe('the test app refuses what a broker refuses [MQTT-3.3.2-2]', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(FooModule);
  });
  afterAll(() => t.close());

  it.each([['foo/+'], ['foo/#'], ['foo/a\u0000'], ['']])(
    'dispatch(%j) fails as a PUBLISH would',
    async (topic) => {
      await expect(t.dispatch(topic, {})).rejects.toMatchObject({ code: 'ERR_PUBLISH_TOPIC_INVALID' });
    },
  );

  it('publishing a wildcard topic to the memory broker fails too', () => {
    expect(() => t.broker?.publish('foo/+', Buffer.from('{}'))).toThrow(
      expect.objectContaining({ code: 'ERR_PUBLISH_TOPIC_INVALID' }),
    );
  });

  it('routes empty levels as distinct topics (MQTT 5.0 section 4.7.1.1)', async () => {
    expect((await t.dispatch('foo/a', {})).outcomes.map((o) => o.result)).toEqual(['a']);
    // 'foo' + '/{id}' joins to 'foo//{id}': the empty level is kept, not trimmed.
    expect((await t.dispatch('foo//a', {})).outcomes.map((o) => o.result)).toEqual(['empty-then-a']);
    expect((await t.dispatch('foo/', {})).outcomes.map((o) => o.result)).toEqual(['']);
  });
});

describe('the memory broker understands $queue/ (EMQX) as well as $share/', () => {
  it('delivers each message to one member of the $queue group', async () => {
    const broker = new MemoryBroker();
    const received: string[][] = [[], []];
    const members = [0, 1].map((i) => {
      const member = new MemoryTransport(broker, { clientId: `m${i}` });
      return { member, handler: async (m: InboundMessage) => void received[i].push(m.topic) };
    });
    for (const { member, handler } of members) {
      await member.connect(handler);
      await member.subscribe([{ topic: '$queue/jobs/+', qos: 1 }]);
    }
    const publisher = new MemoryTransport(broker, { clientId: 'p' });
    await publisher.connect(async () => undefined);
    for (let i = 0; i < 4; i++) await publisher.publish(`jobs/${i}`, Buffer.from('x'), { qos: 1 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(received[0].length + received[1].length).toBe(4);
    expect(received[0].length).toBe(2);
    for (const { member } of members) await member.close();
    await publisher.close();
  });
});
