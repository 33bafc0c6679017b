/**
 * (b) RouteMQ with a `{device_id}` route, one middleware and the handler; (c) the same with a
 * class-validator DTO on the payload (BENCH_DTO=1). Production settings: MQTT 5, LOG_LEVEL=warn, the
 * default route concurrency (1: arrival order) unless the scenario sets one, TCP_NODELAY by default.
 */
import 'reflect-metadata';
import { Controller, createApp, Module, Param, Payload, Topic, UseMiddleware } from 'routemq';
import type { MessageContext, Middleware, Next } from 'routemq';
import { readSubjectEnv } from '../lib/protocol';
import { ReadingDto } from './reading-dto';
import { Probe, type Reading } from './probe';

const settings = readSubjectEnv(process.env);
const probe = new Probe();
const options = { qos: settings.qos, concurrency: settings.concurrency };

/** The one middleware: what an audit or timing middleware does at the least. */
class Mark implements Middleware {
  handle(ctx: MessageContext, next: Next): Promise<unknown> {
    ctx.state.marked = true;
    return next();
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

@Controller(settings.prefix)
@UseMiddleware(Mark)
class PlainController {
  @Topic('{device_id}/data', options)
  async data(@Param('device_id') deviceId: string, @Payload() reading: Reading): Promise<void> {
    if (settings.handlerMs > 0) await pause(settings.handlerMs);
    probe.hit(deviceId, reading);
  }
}

@Controller(settings.prefix)
@UseMiddleware(Mark)
class DtoController {
  @Topic('{device_id}/data', options)
  data(@Param('device_id') deviceId: string, @Payload() reading: ReadingDto): void {
    probe.hit(deviceId, reading);
  }
}

const controller = process.env.BENCH_DTO === '1' ? DtoController : PlainController;

@Module({ controllers: [controller] })
class BenchModule {}

async function main(): Promise<void> {
  // MQTT_BROKER and LOG_LEVEL=warn come from the environment, as in production.
  const app = await createApp(BenchModule);
  await app.start();
  probe.ready();
}

main().catch((error: unknown) => {
  console.error('RouteMQ subject failed:', error);
  process.exit(1);
});
