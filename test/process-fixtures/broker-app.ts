/**
 * The app of the broker compatibility suite (test/brokers), run as a real process against each broker
 * with default settings: routes with parameters, request/response, an optional shared route with
 * workers, a QoS 1 load route (for the SIGKILL case) and a QoS 2 route (clamped where the broker has
 * no QoS 2). Each handler reports on `<run>/out/<route>` so that the test can count.
 */
import 'reflect-metadata';
import { Controller, createApp, Ctx, MessageContext, Module, MqttPublisher, Param, Topic } from 'routemq';

const run = process.env.FIXTURE_RUN ?? 'compat';
const sharedWorkers = Number(process.env.FIXTURE_SHARED_WORKERS ?? 0);
/** Per-message work on the load route, so that a SIGKILL lands mid-stream. */
const loadDelayMs = Number(process.env.FIXTURE_LOAD_DELAY_MS ?? 0);

@Controller(run)
class CompatController {
  constructor(private readonly publisher: MqttPublisher) {}

  @Topic('params/{device}/{reading}', { qos: 1 })
  async params(@Param('device') device: string, @Param('reading') reading: string) {
    await this.publisher.publish(`${run}/out/params`, { device, reading }, { qos: 1 });
  }

  /** Replies to the MQTT 5 response topic when the request has one, else to the `reply` topic. */
  @Topic('req/{id}', { qos: 1, reply: `${run}/res/{id}` })
  request(@Param('id') id: string) {
    return { id, pid: process.pid };
  }

  @Topic('load/{n}', { qos: 1 })
  async load(@Param('n') n: string, @Ctx() ctx: MessageContext) {
    if (loadDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, loadDelayMs));
    await this.publisher.publish(`${run}/out/load`, { n, dup: ctx.packet.dup }, { qos: 1 });
  }

  /** Its reply goes out at the route's QoS 2: clamped on brokers whose maximum is 1 (NATS, RabbitMQ). */
  @Topic('qos2/{n}', { qos: 2, reply: `${run}/out/qos2` })
  qos2(@Param('n') n: string) {
    return { n };
  }
}

@Controller(run)
class SharedController {
  constructor(private readonly publisher: MqttPublisher) {}

  @Topic('jobs/{n}', { qos: 1, shared: true, workers: Math.max(1, sharedWorkers) })
  async job(@Param('n') n: string) {
    await this.publisher.publish(`${run}/out/jobs`, { n, pid: process.pid }, { qos: 1 });
  }
}

@Module({ controllers: sharedWorkers > 0 ? [CompatController, SharedController] : [CompatController] })
class CompatModule {}

async function main(): Promise<void> {
  const app = await createApp(CompatModule);
  app.enableShutdownHooks();
  await app.start();
}

main().catch((error: unknown) => {
  console.error('broker fixture failed to start:', error);
  process.exit(1);
});
