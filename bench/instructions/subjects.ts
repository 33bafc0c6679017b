/**
 * The subjects of the instruction benchmark. Each one, once built, is a function that prepares a run
 * of messages `first .. first + count - 1` (outside the measured region) and returns the run itself.
 *
 * - `stream` subjects own a real mqtt.js client fed the recorded PUBLISH stream (publish-stream.ts)
 *   through an in-memory socket (stream-broker.ts): mqtt.js decoding included, as in production.
 * - `inprocess` subjects get the decoded messages directly (RouteMQ behind a recording transport), to
 *   tell apart where RouteMQ's cost goes: dispatcher, middleware, validation.
 * @module
 */
import mqtt from 'mqtt';
import { createApp, type InboundMessage } from 'routemq';
import { DtoModule, NoMiddlewareModule, RouteModule } from './apps';
import {
  CHUNK_BYTES,
  encodePublish,
  packetId,
  readingPayload,
  readingTopic,
  recordStream,
} from './publish-stream';
import { sink, type Reading } from './sink';
import { countPubacks, hookConnections, PUBACK_BYTES, STREAM_HOST, type StreamBroker } from './stream-broker';

/** The transport a test hands createApp (not a public type of the package). */
type Transport = NonNullable<NonNullable<Parameters<typeof createApp>[1]>['transport']>;
type MessageHandler = Parameters<Transport['connect']>[0];

/** A prepared run: `run` is measured; `check` (not measured) throws when the run went wrong. */
export interface PreparedRun {
  readonly run: () => Promise<void>;
  readonly check: () => void;
}

/** Prepares a run of messages `first .. first + count - 1`, outside the measured region. */
export type Prepare = (first: number, count: number) => PreparedRun;

export interface SubjectSpec {
  readonly name: string;
  readonly mode: 'stream' | 'inprocess';
  readonly qos: 0 | 1;
  /** What the subject is, for the report. */
  readonly title: string;
}

const BROKER_URL = `mqtt://${STREAM_HOST}:1883`;
/** The longest keepalive MQTT allows: no PINGREQ may fall into a measured run, whatever its length. */
const KEEPALIVE = 65535;

const APPS = { route: RouteModule, nomw: NoMiddlewareModule, dto: DtoModule } as const;

/** Builds the subject `name` (`bare`, `route`, `dto`, `work`, `nomw`) for this process. */
export async function buildSubject(spec: SubjectSpec): Promise<Prepare> {
  if (spec.mode === 'stream') return streamSubject(spec);
  return inProcessSubject(spec);
}

async function streamSubject(spec: SubjectSpec): Promise<Prepare> {
  const brokers = hookConnections();
  if (spec.name === 'bare') await startBareClient(spec.qos);
  else await startApp(appOf(spec.name), undefined);
  const broker = dataBroker(brokers);
  const shape = {
    qos: spec.qos,
    protocolVersion: broker.protocolVersion,
    subscriptionIdentifier: [...broker.subscriptions.values()][0],
  };
  return (first, count) => {
    const { chunks, completeAfter } = recordStream(first, count, shape);
    let handled = 0;
    const run = async (): Promise<void> => {
      const start = sink.count;
      handled = start + count;
      for (let i = 0; i < chunks.length; i++) {
        broker.deliver(chunks[i]);
        await sink.until(start + completeAfter[i]);
      }
      if (spec.qos === 1) await broker.whenWritten(count * PUBACK_BYTES);
    };
    const check = (): void => {
      const acks = countPubacks(broker.takeWritten(), broker.protocolVersion);
      const expected = spec.qos === 1 ? count : 0;
      if (acks !== expected)
        throw new Error(`${spec.name}: ${acks} PUBACKs for ${count} messages at QoS ${spec.qos}`);
      if (sink.count !== handled) throw new Error(`${spec.name}: handled ${sink.count}, expected ${handled}`);
    };
    return { run, check };
  };
}

/** The bare subscriber: the same work in `handleMessage`, which at QoS 1 acknowledges after it. */
async function startBareClient(qos: 0 | 1): Promise<void> {
  const client = mqtt.connect(BROKER_URL, { protocolVersion: 5, keepalive: KEEPALIVE, reconnectPeriod: 0 });
  client.handleMessage = (packet, done) => {
    const deviceId = packet.topic.split('/')[2];
    sink.hit(deviceId, JSON.parse(packet.payload.toString()) as Reading);
    done();
  };
  await new Promise<void>((resolve, reject) => client.once('connect', () => resolve()).once('error', reject));
  await client.subscribeAsync(`bench/i/+/data`, { qos });
}

async function startApp(
  module: (typeof APPS)[keyof typeof APPS],
  transport: Transport | undefined,
): Promise<void> {
  const env = {
    MQTT_BROKER: BROKER_URL,
    LOG_LEVEL: 'warn',
    MQTT_CLIENT_ID: 'instructions',
    MQTT_KEEPALIVE: String(KEEPALIVE),
  };
  const app = await createApp(module, { env, transport });
  await app.start();
}

function appOf(name: string): (typeof APPS)[keyof typeof APPS] {
  if (name in APPS) return APPS[name as keyof typeof APPS];
  throw new Error(`unknown RouteMQ subject ${name}: one of ${Object.keys(APPS).join(', ')}`);
}

/** RouteMQ may open a second session (the retry lane): the data goes to the one subscribed to it. */
function dataBroker(brokers: readonly StreamBroker[]): StreamBroker {
  const found = brokers.find((broker) => [...broker.subscriptions.keys()].some((t) => t.endsWith('/+/data')));
  if (!found) throw new Error(`no connection subscribed to the data topic (${brokers.length} connections)`);
  return found;
}

async function inProcessSubject(spec: SubjectSpec): Promise<Prepare> {
  const handler = spec.name === 'work' ? bareWork : await recordedHandler(appOf(spec.name));
  // As many messages at once as one chunk of the stream holds.
  const perBatch = Math.max(
    1,
    Math.floor(
      CHUNK_BYTES / encodePublish(0, { ...spec, protocolVersion: 5, subscriptionIdentifier: 1 }).length,
    ),
  );
  return (first, count) => {
    const batches: InboundMessage[][] = [];
    for (let at = first; at < first + count; at += perBatch) {
      const size = Math.min(perBatch, first + count - at);
      batches.push(Array.from({ length: size }, (_, i) => inbound(at + i, spec.qos)));
    }
    let handled = 0;
    const run = async (): Promise<void> => {
      handled = sink.count + count;
      for (const batch of batches) await Promise.all(batch.map(handler));
    };
    const check = (): void => {
      if (sink.count !== handled) throw new Error(`${spec.name}: handled ${sink.count}, expected ${handled}`);
    };
    return { run, check };
  };
}

/** The bare work without mqtt.js: what every subject pays at the least. */
const bareWork: MessageHandler = async (message) => {
  sink.hit(message.topic.split('/')[2], JSON.parse(message.payload.toString()) as Reading);
};

function inbound(seq: number, qos: 0 | 1): InboundMessage {
  return {
    topic: readingTopic(seq),
    payload: readingPayload(seq),
    qos,
    retain: false,
    dup: false,
    messageId: qos > 0 ? packetId(seq) : undefined,
    properties: { subscriptionIdentifier: 1 },
  };
}

async function recordedHandler(module: (typeof APPS)[keyof typeof APPS]): Promise<MessageHandler> {
  let handler: MessageHandler | undefined;
  const transport: Transport = {
    description: 'recording',
    capabilities: { sharedSubscriptions: true, subscriptionIdentifiers: true, properties: true },
    connect: async (h) => void (handler = h),
    subscribe: async () => undefined,
    unsubscribe: async () => undefined,
    publish: async () => undefined,
    close: async () => undefined,
  };
  await startApp(module, transport);
  if (!handler) throw new Error('the app did not connect its handler');
  return handler;
}
