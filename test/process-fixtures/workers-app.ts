/**
 * A small app run as a real process by the worker tests (and the scaling figures): shared routes with
 * `workers` counts from the environment, each handler reporting who processed what on an MQTT topic.
 */
import 'reflect-metadata';
import { Controller, createApp, Ctx, MessageContext, Module, MqttPublisher, Param, Topic } from 'routemq';

const run = process.env.FIXTURE_RUN ?? 'fixture';
const workers = (name: string) => Number(process.env[name] ?? 1);
const cpuMs = Number(process.env.FIXTURE_CPU_MS ?? 0);

/** Busy work standing in for a CPU-heavy handler (parsing, image work, crypto...). */
function burn(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

@Controller(run)
class WorkController {
  constructor(private readonly publisher: MqttPublisher) {}

  @Topic('a/{id}', { qos: 1, shared: true, workers: workers('WORKERS_A') })
  a(@Param('id') id: string, @Ctx() ctx: MessageContext) {
    return this.report('a', id, ctx);
  }

  @Topic('b/{id}', { qos: 1, shared: true, workers: workers('WORKERS_B') })
  b(@Param('id') id: string, @Ctx() ctx: MessageContext) {
    return this.report('b', id, ctx);
  }

  @Topic('c/{id}', { qos: 1 })
  c(@Param('id') id: string, @Ctx() ctx: MessageContext) {
    return this.report('c', id, ctx);
  }

  private async report(route: string, id: string, ctx: MessageContext): Promise<void> {
    if (cpuMs > 0) burn(cpuMs);
    if (process.env.FIXTURE_REPORT === '0') return;
    // QoS 0 reports for the scaling figures: the report must not cost more than the work measured.
    const qos = process.env.FIXTURE_REPORT_QOS === '0' ? 0 : 1;
    await this.publisher.publish(
      `${run}/processed`,
      { route, id, pid: process.pid, dup: ctx.packet.dup },
      { qos },
    );
  }
}

@Module({ controllers: [WorkController] })
class WorkersModule {}

async function main(): Promise<void> {
  const app = await createApp(WorkersModule);
  app.enableShutdownHooks();
  await app.start();
}

main().catch((error: unknown) => {
  console.error('workers fixture failed to start:', error);
  process.exit(1);
});
