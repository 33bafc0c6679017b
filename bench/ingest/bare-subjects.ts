/**
 * The bare mqtt.js subjects of the ingest benchmark: (a) one INSERT per message, its PUBACK sent once
 * the row is stored (`handleMessage` calls back after the insert, so messages are handled one at a
 * time); (e) a hand-written batcher: rows collected up to 500 or 50 ms, one multi-row INSERT, then the
 * batch's PUBACKs, held back until then by wrapping mqtt.js' packet sender. (e) is the ceiling of the
 * approach: what a batch route can at best do with the same client and database.
 * @module
 */
import { Socket } from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import type { Progress } from './progress';
import { BATCH_SIZE, BATCH_WAIT_MS, rowOf, TOPIC_FILTER, WINDOW, type SubjectSettings } from './protocol';
import type { Row, Store } from './store';

type Send = (packet: { cmd: string }, cb?: () => void, ...rest: unknown[]) => void;

export async function runBare(settings: SubjectSettings, store: Store, progress: Progress): Promise<void> {
  const client = mqtt.connect(settings.url, {
    protocolVersion: 5,
    clientId: settings.clientId,
    clean: false,
    properties: { sessionExpiryInterval: 3600, receiveMaximum: WINDOW },
    manualConnect: true,
    reconnectPeriod: 0,
    // No keepalive: (a) handles one message at a time inside mqtt.js' packet pump, so its PINGRESP waits
    // behind thousands of queued PUBLISH packets and the connection would time out (MQTT.js#1935).
    keepalive: 0,
  });
  client.on('connect', () => {
    if (client.stream instanceof Socket) client.stream.setNoDelay(true);
  });
  if (settings.subject === 'bare-rows') rowByRow(client, store, progress);
  else batcher(client, store, progress);
  client.connect();
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  await client.subscribeAsync(TOPIC_FILTER, { qos: 1 });
}

function rowByRow(client: MqttClient, store: Store, progress: Progress): void {
  client.handleMessage = (packet, done) => {
    progress.arrived();
    store.insertOne(rowOf(packet.topic, packet.payload as Buffer)).then(
      () => {
        progress.stored(1);
        done();
      },
      (error: unknown) => done(error as Error),
    );
  };
}

function batcher(client: MqttClient, store: Store, progress: Progress): void {
  let rows: Row[] = [];
  let acks: Array<() => void> = [];
  let timer: NodeJS.Timeout | undefined;
  let writing = Promise.resolve();
  const internals = client as unknown as { _sendPacket: Send };
  const send = internals._sendPacket.bind(client) as Send;
  // mqtt.js sends a PUBACK as soon as handleMessage calls back, and reads the next packet only once
  // that send called back: keep the PUBACK until the batch is stored, but let mqtt.js read on.
  internals._sendPacket = (packet, cb, ...rest) => {
    if (packet.cmd !== 'puback') return send(packet, cb, ...rest);
    acks.push(() => send(packet, undefined, ...rest));
    cb?.();
  };
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const batch = rows;
    const batchAcks = acks;
    rows = [];
    acks = [];
    writing = writing
      .then(() => store.insertMany(batch))
      .then(() => {
        for (const ack of batchAcks) ack();
        progress.stored(batch.length);
      });
  };
  client.handleMessage = (packet, done) => {
    progress.arrived();
    rows.push(rowOf(packet.topic, packet.payload as Buffer));
    done();
    if (rows.length >= BATCH_SIZE) flush();
    else if (timer === undefined) timer = setTimeout(flush, BATCH_WAIT_MS);
  };
}
