/**
 * The RouteMQ apps measured: the `{device_id}/data` route of the end-to-end benchmark, with one
 * middleware (what an audit or timing middleware does at the least), without it (to tell the
 * dispatcher's cost from the middleware's), and with a class-validator DTO.
 * @module
 */
import 'reflect-metadata';
import { Controller, Module, Param, Payload, Topic, UseMiddleware } from 'routemq';
import type { MessageContext, Middleware, Next } from 'routemq';
import { ReadingDto } from '../subjects/reading-dto';
import { TOPIC_PREFIX } from './publish-stream';
import { sink, type Reading } from './sink';

const qos = process.env.BENCH_QOS === '1' ? 1 : 0;

class Mark implements Middleware {
  handle(ctx: MessageContext, next: Next): Promise<unknown> {
    ctx.state.marked = true;
    return next();
  }
}

@Controller(TOPIC_PREFIX)
@UseMiddleware(Mark)
class RouteController {
  @Topic('{device_id}/data', { qos })
  async data(@Param('device_id') deviceId: string, @Payload() reading: Reading): Promise<void> {
    sink.hit(deviceId, reading);
  }
}

@Controller(TOPIC_PREFIX)
class NoMiddlewareController {
  @Topic('{device_id}/data', { qos })
  async data(@Param('device_id') deviceId: string, @Payload() reading: Reading): Promise<void> {
    sink.hit(deviceId, reading);
  }
}

@Controller(TOPIC_PREFIX)
@UseMiddleware(Mark)
class DtoController {
  @Topic('{device_id}/data', { qos })
  async data(@Param('device_id') deviceId: string, @Payload() reading: ReadingDto): Promise<void> {
    sink.hit(deviceId, reading);
  }
}

@Module({ controllers: [RouteController] })
export class RouteModule {}

@Module({ controllers: [NoMiddlewareController] })
export class NoMiddlewareModule {}

@Module({ controllers: [DtoController] })
export class DtoModule {}
