import 'reflect-metadata';
import { Controller } from '../../../src/decorators/controller';
import { Ctx, Param, Payload } from '../../../src/decorators/params';
import { Topic } from '../../../src/decorators/topic';
import { UseMiddleware } from '../../../src/decorators/use-middleware';
import { ConfigError } from '../../../src/errors';
import { scanControllers } from '../../../src/metadata/scanner';
import type { Class } from '../../../src/metadata/types';
import type { MessageContext } from '../../../src/pipeline/message-context';
import type { Middleware, Next } from '../../../src/pipeline/middleware';

class Global implements Middleware {
  handle(_c: MessageContext, next: Next) {
    return next();
  }
}
class ClassLevel extends Global {}
class MethodLevel extends Global {}

const options = { defaultGroup: 'routemq', defaultWorkers: 1 };
const scan = (...controllers: Class[]) =>
  scanControllers(
    controllers.map((controller) => ({ controller, middleware: [Global] })),
    options,
  );

function scanError(...controllers: Class[]): ConfigError {
  try {
    scan(...controllers);
  } catch (error) {
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('scanControllers', () => {
  it('builds a route per @Topic with the prefix joined, params ordered and middleware merged', () => {
    @Controller('sensors')
    @UseMiddleware(ClassLevel)
    class Sensors {
      @Topic('{device_id}/data', { qos: 1, shared: true, workers: 3, reply: 'acks/{device_id}' })
      @UseMiddleware(MethodLevel)
      data(@Ctx() _ctx: unknown, @Payload() _body: unknown, @Param('device_id') _id: string) {}
    }
    const [route] = scan(Sensors);
    expect(route).toMatchObject({
      handlerName: 'Sensors.data',
      qos: 1,
      shared: true,
      group: 'routemq',
      workers: 3,
    });
    expect(route.compiled.template).toBe('sensors/{device_id}/data');
    expect(route.compiled.filter).toBe('sensors/+/data');
    expect(route.reply?.template).toBe('acks/{device_id}');
    expect(route.middleware).toEqual([Global, ClassLevel, MethodLevel]);
    expect(route.params.map((p) => p.kind)).toEqual(['ctx', 'payload', 'param']);
  });

  it('records the declared payload type for DTO conversion', () => {
    class ReadingDto {
      temperature = 0;
    }
    @Controller()
    class Typed {
      @Topic('t')
      m(@Payload() _body: ReadingDto) {}
    }
    const [route] = scan(Typed);
    expect(route.params[0]).toMatchObject({ kind: 'payload', type: ReadingDto });
  });

  it('applies the default group and per-route group, and 1 worker to non-shared routes', () => {
    @Controller()
    class Groups {
      @Topic('a', { shared: true, group: 'billing' })
      a() {}
      @Topic('b')
      b() {}
    }
    const [a, b] = scan(Groups);
    expect(a.group).toBe('billing');
    expect(b).toMatchObject({ shared: false, group: undefined, workers: 1 });
  });

  it('reports every template error of every route in one error naming controller, method and template', () => {
    @Controller('bad')
    class Broken {
      @Topic('a/{x')
      unclosedBrace() {}
      @Topic('{a}{b}')
      twoParams() {}
      @Topic('#/x')
      hashNotLast() {}
    }
    @Controller()
    class AlsoBroken {
      @Topic('x/{id}/{id}')
      duplicate() {}
      @Topic('x+y')
      wildcardInLiteral() {}
    }
    const error = scanError(Broken, AlsoBroken);
    expect(error.code).toBe('ERR_ROUTE_INVALID');
    for (const where of [
      "Broken.unclosedBrace @Topic('a/{x') with prefix 'bad'",
      "Broken.twoParams @Topic('{a}{b}')",
      "Broken.hashNotLast @Topic('#/x')",
      "AlsoBroken.duplicate @Topic('x/{id}/{id}')",
      "AlsoBroken.wildcardInLiteral @Topic('x+y')",
    ]) {
      expect(error.message).toContain(where);
    }
    expect(error.problems.length).toBeGreaterThanOrEqual(5);
  });

  it('reports bad options, unknown @Param names, undecorated parameters and bad replies', () => {
    @Controller()
    class BadOptions {
      @Topic('q', { qos: 3 as 0 })
      badQos() {}
      @Topic('w', { workers: 3 })
      workersWithoutShared() {}
      @Topic('p/{id}')
      unknownParam(@Param('device') _d: string) {}
      @Topic('u/{id}')
      undecorated(_first: string, @Param('id') _id: string) {}
      @Topic('r/{id}', { reply: 'out/{other}' })
      badReply() {}
      @Topic('r2/{id}', { reply: 'out/+' })
      wildcardReply() {}
    }
    const { message } = scanError(BadOptions);
    expect(message).toContain('qos must be 0, 1 or 2');
    expect(message).toContain('workers: 3 needs shared: true');
    expect(message).toContain("@Param('device') names no parameter of 'p/{id}' (it has: id)");
    expect(message).toContain('parameter #0 has no decorator');
    expect(message).toContain("reply 'out/{other}' uses {other}");
    expect(message).toContain("reply 'out/+' cannot hold wildcards");
  });

  it('refuses a class listed as a controller without @Controller()', () => {
    class NotAController {}
    expect(scanError(NotAController).message).toContain(
      'NotAController is listed as a controller but has no @Controller() decorator',
    );
  });

  it('lists a controller given twice once', () => {
    @Controller()
    class Once {
      @Topic('t')
      m() {}
    }
    expect(scan(Once, Once)).toHaveLength(1);
  });
});
