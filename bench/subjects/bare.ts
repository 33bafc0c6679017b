/**
 * (a) The bare mqtt.js subscriber: the same work as the framework's handler (split the topic, parse
 * the JSON, touch a field), written by hand. The PUBACK of a QoS 1 message goes out when
 * `handleMessage` calls back, i.e. after the work: the same at-least-once guarantee as RouteMQ.
 */
import { Socket } from 'node:net';
import mqtt from 'mqtt';
import { readSubjectEnv, RECEIVE_MAXIMUM } from '../lib/protocol';
import { Probe, type Reading } from './probe';

async function main(): Promise<void> {
  const settings = readSubjectEnv(process.env);
  const probe = new Probe();
  const client = mqtt.connect(settings.url, {
    protocolVersion: 5,
    manualConnect: true,
    reconnectPeriod: 0,
    properties: { receiveMaximum: RECEIVE_MAXIMUM },
  });
  // As RouteMQ does by default (and every subject here): no Nagle delay on PUBACKs.
  client.on('connect', () => {
    if (client.stream instanceof Socket) client.stream.setNoDelay(true);
  });
  client.handleMessage = (packet, done) => {
    const deviceId = packet.topic.split('/')[2];
    const reading = JSON.parse(packet.payload.toString()) as Reading;
    probe.hit(deviceId, reading);
    done();
  };
  client.connect();
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  await client.subscribeAsync(`${settings.prefix}/+/data`, { qos: settings.qos });
  probe.ready();
}

main().catch((error: unknown) => {
  console.error('bare subject failed:', error);
  process.exit(1);
});
