import 'reflect-metadata';
import { inject, injectable } from 'tsyringe';
import {
  Controller,
  Ctx,
  LOGGER,
  MessageContext,
  Module,
  MqttPublisher,
  Param,
  Payload,
  Topic,
  UseMiddleware,
} from 'routemq';
import type { Middleware, Next } from 'routemq';
import { createTestApp, type TestApp } from 'routemq/testing';

const order: string[] = [];
const tag = (name: string) =>
  class implements Middleware {
    static readonly label = name;
    async handle(ctx: MessageContext, next: Next) {
      order.push(name);
      ctx.state.seen = [...((ctx.state.seen as string[] | undefined) ?? []), name];
      return next();
    }
  };
const AppWide = tag('app');
const ModuleLevel = tag('module');
const ControllerLevel = tag('controller');
const MethodLevel = tag('method');

class Gate implements Middleware {
  async handle(ctx: MessageContext, next: Next) {
    if ((ctx.payload as { allowed?: boolean }).allowed !== true) return undefined;
    return next();
  }
}
class Twice implements Middleware {
  async handle(_ctx: MessageContext, next: Next) {
    await next();
    return next();
  }
}

@injectable()
class Greeter {
  constructor(@inject('GREETING') private readonly greeting: string) {}
  greet(name: string) {
    return `${this.greeting}, ${name}`;
  }
}

@Controller('pipe')
@UseMiddleware(ControllerLevel)
class PipelineController {
  static calls: string[] = [];
  constructor(
    private readonly greeter: Greeter,
    private readonly publisher: MqttPublisher,
    @inject(LOGGER) readonly logger: unknown,
    @inject('FACTORY') private readonly fromFactory: { made: boolean },
  ) {}

  @Topic('{device_id}/data', { qos: 1 })
  @UseMiddleware(MethodLevel)
  data(@Param('device_id') id: string, @Payload() body: unknown, @Ctx() ctx: MessageContext) {
    PipelineController.calls.push(`data:${id}`);
    return {
      id,
      body,
      state: ctx.state.seen,
      qos: ctx.packet.qos,
      topic: ctx.topic,
      route: ctx.route.handler,
    };
  }

  @Topic('{name}/greet', { reply: 'greetings/{name}' })
  greet(@Param('name') name: string) {
    return { text: this.greeter.greet(name), factory: this.fromFactory.made };
  }

  @Topic('gated')
  @UseMiddleware(Gate)
  gated() {
    PipelineController.calls.push('gated');
    return 'passed';
  }

  @Topic('twice')
  @UseMiddleware(Twice)
  twice() {
    PipelineController.calls.push('twice');
  }

  @Topic('fails/{n}')
  fails(@Param('n') n: string) {
    throw new Error(`handler failure ${n}`);
  }

  @Topic('fails/+')
  alsoRuns() {
    PipelineController.calls.push('alsoRuns');
    return 'ok';
  }

  @Topic('multi/#')
  multiHash(@Ctx() ctx: MessageContext) {
    PipelineController.calls.push(`hash:${ctx.topic}`);
  }

  @Topic('multi/{rest*}')
  multiRest(@Param('rest') rest: string) {
    PipelineController.calls.push(`rest:${rest}`);
  }

  @Topic('raw')
  raw(@Payload() body: unknown) {
    return Buffer.isBuffer(body) ? `buffer:${(body as Buffer).length}` : typeof body;
  }

  @Topic('alert/{device_id}')
  async alert(@Param('device_id') id: string) {
    await this.publisher.publish(`alerts/${id}/+`, { bad: true });
  }

  @Topic('slow')
  async slow() {
    await new Promise((resolve) => setTimeout(resolve, 50));
    PipelineController.calls.push('slow-done');
  }

  @Topic('nothing')
  nothing() {
    return undefined;
  }
}

@Module({
  controllers: [PipelineController],
  providers: [
    Greeter,
    { token: 'GREETING', useValue: 'Hello' },
    { provide: 'FACTORY', useFactory: () => ({ made: true }) },
  ],
  middleware: [ModuleLevel],
})
class PipelineModule {}

describe('app pipeline over the in-memory transport', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp(PipelineModule, { middleware: [AppWide] });
  });
  afterAll(() => app.close());
  beforeEach(() => {
    order.length = 0;
    PipelineController.calls = [];
  });

  it('matches the topic, extracts params, decodes the payload and runs middleware app > module > controller > method', async () => {
    const { result, error } = await app.dispatch('pipe/dev-1/data', { temperature: 72 }, { qos: 1 });
    expect(error).toBeUndefined();
    expect(result).toEqual({
      id: 'dev-1',
      body: { temperature: 72 },
      state: ['app', 'module', 'controller', 'method'],
      qos: 1,
      topic: 'pipe/dev-1/data',
      route: 'PipelineController.data',
    });
    expect(order).toEqual(['app', 'module', 'controller', 'method']);
  });

  it('injects class, value and factory providers and publishes the result to the reply topic', async () => {
    const { published } = await app.dispatch('pipe/ada/greet', {});
    expect(published).toHaveLength(1);
    expect(published[0].topic).toBe('greetings/ada');
    expect(published[0].json).toEqual({ text: 'Hello, ada', factory: true });
  });

  it('prefers the MQTT 5 response topic and echoes the correlation data', async () => {
    const correlationData = Buffer.from('req-7');
    const { published } = await app.dispatch(
      'pipe/bob/greet',
      {},
      { properties: { responseTopic: 'replies/client-9', correlationData } },
    );
    expect(published).toHaveLength(1);
    expect(published[0].topic).toBe('replies/client-9');
    expect(published[0].properties?.correlationData).toEqual(correlationData);
  });

  it('publishes nothing when the handler returns undefined', async () => {
    const { published, outcomes } = await app.dispatch(
      'pipe/nothing',
      {},
      { properties: { responseTopic: 'replies/x' } },
    );
    expect(outcomes).toHaveLength(1);
    expect(published).toHaveLength(0);
  });

  it('stops the chain when a middleware does not call next()', async () => {
    const denied = await app.dispatch('pipe/gated', { allowed: false });
    expect(denied.result).toBeUndefined();
    expect(PipelineController.calls).toEqual([]);
    const allowed = await app.dispatch('pipe/gated', { allowed: true });
    expect(allowed.result).toBe('passed');
    expect(PipelineController.calls).toEqual(['gated']);
  });

  it('fails a route whose middleware calls next() twice, having run the handler once', async () => {
    const { error } = await app.dispatch('pipe/twice', {});
    expect(error).toMatchObject({ code: 'ERR_NEXT_CALLED_TWICE' });
    expect(PipelineController.calls).toEqual(['twice']);
  });

  it('isolates a failing handler: other matching routes run and later messages work', async () => {
    const { outcomes } = await app.dispatch('pipe/fails/1', {});
    expect(outcomes).toHaveLength(2);
    const failed = outcomes.find((o) => o.route.handler === 'PipelineController.fails');
    const ok = outcomes.find((o) => o.route.handler === 'PipelineController.alsoRuns');
    expect((failed?.error as Error).message).toBe('handler failure 1');
    expect(ok?.result).toBe('ok');
    const next = await app.dispatch('pipe/dev-2/data', { temperature: 1 });
    expect(next.error).toBeUndefined();
  });

  it('runs every matching route once ({rest*} and # both match, including the parent level)', async () => {
    await app.dispatch('pipe/multi/a/b', {});
    expect(PipelineController.calls.sort()).toEqual(['hash:pipe/multi/a/b', 'rest:a/b']);
    PipelineController.calls = [];
    await app.dispatch('pipe/multi', {});
    expect(PipelineController.calls.sort()).toEqual(['hash:pipe/multi', 'rest:']);
  });

  it('gives non-JSON payloads to @Payload() as the raw Buffer', async () => {
    expect((await app.dispatch('pipe/raw', Buffer.from([0, 1, 2]))).result).toBe('buffer:3');
    expect((await app.dispatch('pipe/raw', { a: 1 })).result).toBe('object');
  });

  it('refuses to publish to a topic with a wildcard, fails the route at once and dead-letters the message', async () => {
    const { error, published, outcomes } = await app.dispatch('pipe/alert/dev-1', {});
    expect(error).toMatchObject({ code: 'ERR_PUBLISH_TOPIC_INVALID' });
    expect(outcomes[0].attempts).toBe(1);
    expect(published.map((m) => m.topic)).toEqual(['routemq/dead-letter/pipe/alert/dev-1']);
  });

  it('returns no outcome for a topic no route matches', async () => {
    expect((await app.dispatch('elsewhere/x', {})).outcomes).toEqual([]);
  });
});

describe('app.stop()', () => {
  it('waits for in-flight handlers before it resolves', async () => {
    const app = await createTestApp(PipelineModule);
    PipelineController.calls = [];
    const inFlight = app.dispatch('pipe/slow', {});
    const drained = await app.close().then(() => PipelineController.calls.slice());
    expect(drained).toEqual(['slow-done']);
    await inFlight;
  });
});
