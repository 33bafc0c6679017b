import 'reflect-metadata';
import { injectable } from 'tsyringe';
import { Controller } from '../../../src/decorators/controller';
import { Param, Payload } from '../../../src/decorators/params';
import { Topic } from '../../../src/decorators/topic';
import { UseMiddleware } from '../../../src/decorators/use-middleware';
import { Module } from '../../../src/app/module';
import type { ConfigError } from '../../../src/errors';
import { scanControllers } from '../../../src/metadata/scanner';
import type { MessageContext } from '../../../src/pipeline/message-context';
import type { Middleware, Next } from '../../../src/pipeline/middleware';
import { Router } from '../../../src/router/router';
import { routerRouteSources } from '../../../src/router/router-sources';
import { createTestApp } from 'routemq/testing';

/** Appends its name to ctx.state.trail, so a test can read the order middleware ran in. */
function tracer(name: string) {
  const cls = class implements Middleware {
    handle(ctx: MessageContext, next: Next) {
      ctx.state.trail = [...((ctx.state.trail as string[] | undefined) ?? []), name];
      return next();
    }
  };
  Object.defineProperty(cls, 'name', { value: name });
  return cls;
}
const Outer = tracer('Outer');
const Inner = tracer('Inner');
const Own = tracer('Own');
const OnClass = tracer('OnClass');
const OnMethod = tracer('OnMethod');
const options = { defaultGroup: 'routemq', defaultWorkers: 1 };
const scanRouter = (router: Router) =>
  scanControllers([], options, routerRouteSources([{ router, middleware: [] }]));

class Greeter {
  greet(name: string) {
    return `hello ${name}`;
  }
}

@injectable()
@UseMiddleware(OnClass)
class DeviceHandlers {
  constructor(private readonly greeter: Greeter) {}

  @UseMiddleware(OnMethod)
  message(@Param('device_id') id: string, @Payload() body: { text: string }) {
    return { reply: this.greeter.greet(id), echo: body.text };
  }

  trail(ctx: MessageContext) {
    return ctx.state.trail;
  }
}

describe('Router', () => {
  it('records nested groups: prefixes outermost first, middleware in run order', () => {
    const router = new Router({ name: 'api', prefix: 'v1', middleware: [Outer] });
    router.group({ prefix: 'devices', middleware: [Inner] }, (r) => {
      r.group('{device_id}', (g) => g.on('ping', () => 'pong', { qos: 1, middleware: [Own] }));
    });
    expect(router.routes).toHaveLength(1);
    expect(router.routes[0]).toMatchObject({
      template: 'ping',
      prefixes: ['v1', 'devices', '{device_id}'],
      middleware: [Outer, Inner, Own],
      options: { qos: 1 },
    });
    expect(router.routes[0].declaredAt).toMatch(/router\.spec\.ts:\d+:\d+$/);
  });

  it('compiles to the same route definition as the equivalent @Topic', () => {
    @Controller('sensors')
    class Sensors {
      @Topic('{device_id}/data', { qos: 1, shared: true, workers: 2, reply: 'acks/{device_id}' })
      data(ctx: MessageContext) {
        return ctx.params.device_id;
      }
    }
    const router = new Router();
    router.group('sensors', (r) =>
      r.on('{device_id}/data', [Sensors, 'data'], {
        qos: 1,
        shared: true,
        workers: 2,
        reply: 'acks/{device_id}',
      }),
    );
    const [decorated] = scanControllers([{ controller: Sensors, middleware: [] }], options);
    const [programmatic] = scanRouter(router);
    expect(programmatic).toEqual(decorated);
  });

  it('names a function route after the function, else after its template', () => {
    const router = new Router({ name: 'iot' });
    function onData() {}
    router.on('a/{id}', onData).on('b', () => undefined);
    expect(scanRouter(router).map((r) => [r.handlerName, r.compiled.filter])).toEqual([
      ['iot:onData', 'a/+'],
      ["iot:on('b')", 'b'],
    ]);
  });

  it('reports template and option errors at boot, naming the router route and where it was declared', () => {
    const router = new Router({ name: 'devices' });
    router.group('devices', (r) => {
      r.on('{id}/{id}', () => undefined);
      r.on('ok/{id}', () => undefined, { qos: 3 as 0 });
    });
    router.on('x', [DeviceHandlers, 'missing' as 'trail']);
    let error: ConfigError | undefined;
    try {
      scanRouter(router);
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.code).toBe('ERR_ROUTE_INVALID');
    expect(error?.problems).toEqual([
      expect.stringMatching(
        /^devices\.on\('\{id\}\/\{id\}'\) in group 'devices' -> devices:on\('devices\/\{id\}\/\{id\}'\) at test\/unit\/router\/router\.spec\.ts:\d+:\d+: template 'devices\/\{id\}\/\{id\}': .*repeats the parameter/,
      ),
      expect.stringMatching(/^devices\.on\('ok\/\{id\}'\) in group 'devices' .*: qos must be 0, 1 or 2/),
      expect.stringMatching(/^devices\.on\('x'\) -> DeviceHandlers\.missing .*: missing is not a method/),
    ]);
  });

  it('reports router and decorator problems in one error', () => {
    @Controller()
    class Broken {
      @Topic('a/#/b')
      bad() {}
    }
    const router = new Router();
    router.on('', () => undefined);
    @Module({ controllers: [Broken], routers: [router] })
    class BrokenModule {}
    return expect(createTestApp(BrokenModule)).rejects.toMatchObject({
      code: 'ERR_ROUTE_INVALID',
      problems: [expect.stringContaining('Broken.bad'), expect.stringContaining("router.on('')")],
    });
  });
});

describe('Router routes in an app', () => {
  const router = new Router({ middleware: [Outer] });
  router.on('sensors/{device_id}/data', (ctx) => ({ device: ctx.params.device_id, body: ctx.payload }), {
    qos: 1,
    reply: 'sensors/{device_id}/ack',
  });
  router.group({ prefix: 'devices', middleware: [Inner] }, (r) => {
    r.on('message/{device_id}', [DeviceHandlers, 'message']);
    r.on('trail', [DeviceHandlers, 'trail'], { middleware: [Own] });
  });
  const failing = new Router({ prefix: 'jobs' });
  failing.on('fail', () => {
    throw new Error('boom');
  });

  @Module({ routers: [router, failing], providers: [Greeter] })
  class RouterModule {}

  it('runs a function handler with the context and publishes its reply', async () => {
    const t = await createTestApp(RouterModule);
    const { result, published } = await t.dispatch('sensors/s1/data', { t: 21 }, { qos: 1 });
    expect(result).toEqual({ device: 's1', body: { t: 21 } });
    expect(published).toMatchObject([{ topic: 'sensors/s1/ack', json: { device: 's1', body: { t: 21 } } }]);
    await t.close();
  });

  it('runs a [Controller, method] handler with injection and parameter decorators', async () => {
    const t = await createTestApp(RouterModule);
    const { result } = await t.dispatch('devices/message/d7', { text: 'hi' });
    expect(result).toEqual({ reply: 'hello d7', echo: 'hi' });
    await t.close();
  });

  it('runs router, group, route, class and method middleware in that order', async () => {
    const t = await createTestApp(RouterModule);
    const { result } = await t.dispatch('devices/trail', {});
    expect(result).toEqual(['Outer', 'Inner', 'Own', 'OnClass']);
    expect(t.app.routes.find((r) => r.template === 'devices/message/{device_id}')?.middleware).toEqual([
      'Outer',
      'Inner',
      'OnClass',
      'OnMethod',
    ]);
    await t.close();
  });

  it('retries and dead-letters a failing function route like a decorated one', async () => {
    const t = await createTestApp(RouterModule, { retryAttempts: 2, retryDelayMs: 1 });
    const { error, outcomes } = await t.dispatch('jobs/fail', {});
    expect((error as Error).message).toBe('boom');
    expect(outcomes[0]).toMatchObject({ attempts: 2, deadLettered: true });
    await t.waitForPublish('routemq/dead-letter/jobs/fail');
    await t.close();
  });
});
