/**
 * (d) The NestJS microservices MQTT transport: an `@EventPattern` handler doing the same work (split
 * the topic, touch a field; Nest parses the JSON itself). Nest's ServerMqtt listens to mqtt.js'
 * `'message'` event, so a QoS 1 PUBACK goes out on receipt, before the handler runs: Nest offers no
 * ack-after-handler, which favours it in the QoS 1 figures.
 */
import 'reflect-metadata';
import { Socket } from 'node:net';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  Ctx,
  EventPattern,
  MqttContext,
  Payload,
  Transport,
  type MicroserviceOptions,
} from '@nestjs/microservices';
import type { MqttClient } from 'mqtt';
import { readSubjectEnv, RECEIVE_MAXIMUM } from '../lib/protocol';
import { Probe, type Reading } from './probe';

const settings = readSubjectEnv(process.env);
const probe = new Probe();

@Controller()
class ReadingsController {
  @EventPattern(`${settings.prefix}/+/data`)
  data(@Payload() reading: Reading, @Ctx() context: MqttContext): void {
    probe.hit(context.getTopic().split('/')[2], reading);
  }
}

@Module({ controllers: [ReadingsController] })
class BenchModule {}

async function main(): Promise<void> {
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(BenchModule, {
    transport: Transport.MQTT,
    options: {
      url: settings.url,
      protocolVersion: 5,
      properties: { receiveMaximum: RECEIVE_MAXIMUM },
      subscribeOptions: { qos: settings.qos },
    },
    logger: ['error', 'warn'],
  });
  await app.listen();
  // Nest leaves Nagle on; every subject here turns it off, as RouteMQ does by default.
  const client = app.unwrap<MqttClient>();
  if (client.stream instanceof Socket) client.stream.setNoDelay(true);
  probe.ready();
}

main().catch((error: unknown) => {
  console.error('NestJS subject failed:', error);
  process.exit(1);
});
