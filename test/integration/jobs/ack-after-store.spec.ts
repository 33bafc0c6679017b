/**
 * A handler that dispatches a job has its QoS 1 message acknowledged only once the job is stored in
 * Redis: with Redis holding the write (a gate proxy in front of it), the app sends no PUBACK to the
 * broker (a parser on the app's MQTT connection watches); once the write goes through, it does, and
 * the job is there. Real Mosquitto, real Redis, real BullMQ.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import {
  Controller,
  Job,
  JobQueue,
  Module,
  Param,
  Topic,
  createApp,
  type RouteMQApp,
} from '../../../src/index';
import { describeExternalBroker, externalBrokerUrl } from '../../utils/external-broker';
import { GateProxy } from '../../utils/gate-proxy';
import mqttPacket from 'mqtt-packet';
import { TestClient } from '../../utils/test-client';

jest.setTimeout(60_000);

const REDIS_DB = 1;
const PREFIX = `rmq17-ack-${randomBytes(4).toString('hex')}`;
const TOPIC_ROOT = `rmq17-ack-${randomBytes(4).toString('hex')}`;
const handled: string[] = [];

@Job({ queue: 'alerts' })
class RaiseAlert {
  handle(): void {}
}

@Controller(TOPIC_ROOT)
class HotController {
  constructor(private readonly jobs: JobQueue) {}

  @Topic('{device_id}/hot', { qos: 1 })
  async hot(@Param('device_id') id: string): Promise<void> {
    handled.push(id);
    await this.jobs.dispatch(RaiseAlert, { deviceId: id });
  }
}

@Module({ controllers: [HotController], jobs: [RaiseAlert] })
class AckModule {}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describeExternalBroker('ack of the MQTT message only after the job is stored', () => {
  let proxy: GateProxy;
  let brokerProxy: GateProxy;
  let pubacks = 0;
  let app: RouteMQApp;
  let device: TestClient;
  const redis = new Redis(`redis://127.0.0.1:6379/${REDIS_DB}`);

  beforeAll(async () => {
    proxy = await GateProxy.start(6379);
    const broker = new URL(externalBrokerUrl());
    brokerProxy = await GateProxy.start(Number(broker.port || 1883), () => {
      const parser = mqttPacket.parser({ protocolVersion: 4 });
      parser.on('packet', (packet) => {
        if (packet.cmd === 'puback') pubacks++;
      });
      return (chunk) => parser.parse(chunk);
    });
    app = await createApp(AckModule, {
      env: {},
      logLevel: 'silent',
      broker: `mqtt://127.0.0.1:${brokerProxy.port}`,
      redisUrl: `redis://127.0.0.1:${proxy.port}/${REDIS_DB}`,
      jobPrefix: PREFIX,
      jobWorkers: false,
      protocolVersion: 4,
    });
    await app.start();
    device = await TestClient.connect(externalBrokerUrl(), 4);
  });
  afterAll(async () => {
    proxy.release();
    await device?.close();
    await app?.stop();
    await proxy?.close();
    await brokerProxy?.close();
    const keys = await redis.keys(`${PREFIX}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('holds the PUBACK while Redis has not stored the job, and sends it once it has', async () => {
    const jobs = app.container.resolve(JobQueue);
    expect(await jobs.size('alerts')).toBe(0); // the queue's connection is open before the gate closes
    proxy.hold();
    await device.publish(`${TOPIC_ROOT}/dev-7/hot`, {}, { qos: 1 });
    await until(() => handled.includes('dev-7'), 'the handler to run');
    // The handler is waiting on Redis: give a wrong implementation every chance to acknowledge early.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(pubacks).toBe(0);
    expect(await redis.exists(`${PREFIX}:alerts:1`)).toBe(0);

    proxy.release();
    await until(() => pubacks === 1, 'the PUBACK of the app');
    expect(await redis.exists(`${PREFIX}:alerts:1`)).toBe(1);
    expect(await redis.hget(`${PREFIX}:alerts:1`, 'data')).toBe(
      JSON.stringify({ data: { deviceId: 'dev-7' } }),
    );
  });
});
