import type { MessageContext, Middleware, Next } from 'routemq';

/** Logs every message with the time its route took, whatever the handler did. */
export class LoggingMiddleware implements Middleware {
  async handle(ctx: MessageContext, next: Next): Promise<unknown> {
    const started = performance.now();
    try {
      return await next();
    } finally {
      ctx.logger.info({ ms: Math.round(performance.now() - started) }, 'handled');
    }
  }
}
