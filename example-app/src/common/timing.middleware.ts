import type { MessageContext, Middleware, Next } from 'routemq';

/** Logs how long each message took on its route (debug level), whatever the handler did. */
export class TimingMiddleware implements Middleware {
  async handle(ctx: MessageContext, next: Next): Promise<unknown> {
    const started = performance.now();
    try {
      return await next();
    } finally {
      ctx.logger.debug({ ms: Number((performance.now() - started).toFixed(3)) }, 'handled');
    }
  }
}
