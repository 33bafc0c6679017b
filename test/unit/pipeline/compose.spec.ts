import type { Logger } from 'pino';
import { compose } from '../../../src/pipeline/compose';
import { MessageContext } from '../../../src/pipeline/message-context';
import type { Middleware, Next } from '../../../src/pipeline/middleware';

function context(): MessageContext {
  const packet = {
    topic: 't',
    payload: Buffer.from('{}'),
    qos: 0 as const,
    retain: false,
    dup: false,
    properties: {},
  };
  const route = { template: 't', filter: 't', handler: 'C.m' };
  return new MessageContext('t', {}, packet, route, {} as Logger, async () => undefined);
}

function recorder(log: string[], name: string, behaviour: 'pass' | 'stop' | 'twice' = 'pass'): Middleware {
  return {
    async handle(_ctx: MessageContext, next: Next) {
      log.push(`${name}:before`);
      if (behaviour === 'stop') return undefined;
      const result = await next();
      if (behaviour === 'twice') await next();
      log.push(`${name}:after:${String(result)}`);
      return result;
    },
  };
}

describe('compose (middleware chain)', () => {
  it('runs middleware in order around the handler, onion style', async () => {
    const log: string[] = [];
    const chain = compose([recorder(log, 'a'), recorder(log, 'b')], async () => {
      log.push('handler');
      return 'r';
    });
    await chain(context());
    expect(log).toEqual(['a:before', 'b:before', 'handler', 'b:after:r', 'a:after:r']);
  });

  it('lets middleware see the handler result through next() and ctx.result', async () => {
    const ctx = context();
    let seen: unknown;
    const mw: Middleware = {
      async handle(c, next) {
        seen = await next();
        c.result = { wrapped: c.result };
      },
    };
    await compose([mw], async () => 42)(ctx);
    expect(seen).toBe(42);
    expect(ctx.result).toEqual({ wrapped: 42 });
  });

  it('stops the chain when a middleware does not call next()', async () => {
    const log: string[] = [];
    const handler = jest.fn(async () => 'never');
    const ctx = context();
    await compose([recorder(log, 'a', 'stop'), recorder(log, 'b')], handler)(ctx);
    expect(handler).not.toHaveBeenCalled();
    expect(log).toEqual(['a:before']);
    expect(ctx.result).toBeUndefined();
  });

  it('rejects a second next() call with ERR_NEXT_CALLED_TWICE naming the middleware', async () => {
    class Twice implements Middleware {
      async handle(_ctx: MessageContext, next: Next) {
        await next();
        await next();
      }
    }
    const handler = jest.fn(async () => 1);
    await expect(compose([new Twice()], handler)(context())).rejects.toMatchObject({
      code: 'ERR_NEXT_CALLED_TWICE',
      message: expect.stringContaining('Twice called next() more than once'),
    });
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('passes ctx.state along the chain', async () => {
    const ctx = context();
    const first: Middleware = {
      handle(c, next) {
        c.state.user = 'alice';
        return next();
      },
    };
    let seenByHandler: unknown;
    await compose([first], async (c) => {
      seenByHandler = c.state.user;
    })(ctx);
    expect(seenByHandler).toBe('alice');
  });

  it('propagates a handler error through the middleware', async () => {
    const log: string[] = [];
    const chain = compose([recorder(log, 'a')], async () => {
      throw new Error('boom');
    });
    await expect(chain(context())).rejects.toThrow('boom');
    expect(log).toEqual(['a:before']);
  });
});
