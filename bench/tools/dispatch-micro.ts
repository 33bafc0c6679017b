/**
 * In-process cost of RouteMQ's dispatch path (no broker, no socket): the app of subject (b), built by
 * createApp over a transport that only records the message handler, fed synthetic deliveries in
 * batches (as a socket read hands them over). For working on the hot path between two full runs:
 * `node dist/bench/tools/dispatch-micro.js [qos] [messages] [batch]` (batch: deliveries handed over at
 * once, as one socket read does; default 64).
 */
import 'reflect-metadata';
import { Controller, createApp, Module, Param, Payload, Topic, UseMiddleware } from 'routemq';
import type { InboundMessage, MessageContext, Middleware, Next } from 'routemq';
import { monotonicMicros } from '../lib/protocol';

type Handler = (message: InboundMessage) => Promise<unknown>;

const qos = process.argv[2] === '1' ? 1 : 0;
const total = Number(process.argv[3] ?? 2_000_000);
const batchSize = Number(process.argv[4] ?? 64);
let handled = 0;

class Mark implements Middleware {
  handle(ctx: MessageContext, next: Next): Promise<unknown> {
    ctx.state.marked = true;
    return next();
  }
}

@Controller('bench/b')
@UseMiddleware(Mark)
class PlainController {
  @Topic('{device_id}/data', { qos })
  async data(
    @Param('device_id') deviceId: string,
    @Payload() reading: { temperature: number },
  ): Promise<void> {
    if (deviceId.length === 0 || reading.temperature > 1000) handled--;
    handled++;
  }
}

@Module({ controllers: [PlainController] })
class BenchModule {}

function recordingTransport(onConnect: (handler: Handler) => void) {
  return {
    description: 'micro',
    capabilities: { sharedSubscriptions: true, subscriptionIdentifiers: true, properties: true },
    connect: async (handler: Handler) => onConnect(handler),
    subscribe: async () => undefined,
    unsubscribe: async () => undefined,
    publish: async () => undefined,
    close: async () => undefined,
  };
}

function messages(count: number): InboundMessage[] {
  return Array.from({ length: count }, (_, seq) => {
    const device = `dev-${seq % 64}`;
    const payload = `{"device_id":"${device}","seq":${seq},"t":${monotonicMicros()},"temperature":21.5,"humidity":40,"status":"ok"}`;
    return {
      topic: `bench/b/${device}/data`,
      payload: Buffer.from(payload),
      qos,
      retain: false,
      dup: false,
      messageId: qos > 0 ? (seq % 65535) + 1 : undefined,
      properties: { subscriptionIdentifier: 1 },
    };
  });
}

async function main(): Promise<void> {
  let handler: Handler | undefined;
  const transport = recordingTransport((h) => (handler = h));
  const app = await createApp(BenchModule, { transport, env: { LOG_LEVEL: 'warn' } });
  await app.start();
  if (handler === undefined) throw new Error('no handler');
  const batch = messages(batchSize);
  const run = async (count: number): Promise<number> => {
    const started = process.cpuUsage();
    for (let done = 0; done < count; done += batch.length) {
      await Promise.all(batch.map((message) => (handler as Handler)(message)));
    }
    const used = process.cpuUsage(started);
    return (used.user + used.system) / count;
  };
  await run(total / 4);
  const results: number[] = [];
  for (let i = 0; i < 5; i++) results.push(await run(total / 5));
  results.sort((a, b) => a - b);
  console.log(`QoS ${qos}: ${results[2].toFixed(3)} µs CPU per message (median of 5; handled ${handled})`);
  await app.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
