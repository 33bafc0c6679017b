/**
 * Plumbing of the transport contract suite: connected clients that record what they receive, and
 * waits that poll a condition with a generous deadline (never a timing assertion).
 * @module
 */
import { randomBytes } from 'node:crypto';
import type {
  InboundMessage,
  MessageHandler,
  Transport,
  TransportCapabilities,
} from '../../src/transport/transport';

/** What a transport implementation provides to the contract suite. */
export interface ContractEnv {
  /** A new, not yet connected client. Client ids are unique per call. */
  createClient(clientId: string): Transport;
  /** What the implementation supports; unsupported features get a describe block asserting the flag. */
  capabilities: TransportCapabilities;
  /** Stops whatever makeEnv started (an embedded broker...). */
  close(): Promise<void>;
}

/** A connected client and everything it received. */
export interface TestClient {
  readonly transport: Transport;
  readonly received: InboundMessage[];
  /** Messages received on one topic. */
  on(topic: string): InboundMessage[];
}

/** Generous deadline for arrivals: CI machines are slow, a pass is usually milliseconds. */
export const ARRIVAL_TIMEOUT_MS = 10_000;

/** Polls `condition` until it holds; fails naming `what` after the deadline. */
export async function waitUntil(
  what: string,
  condition: () => boolean,
  timeoutMs = ARRIVAL_TIMEOUT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** Lets already dispatched traffic land before checking that something did not happen. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A random token for topic prefixes, client ids and share names (a shared broker must not cross-talk). */
export function uniqueToken(): string {
  return randomBytes(6).toString('hex');
}

/**
 * Creates, connects and tracks clients for one test; `closeAll` runs in afterEach.
 *
 * @example
 * ```ts
 * const sub = await clients.connect('sub');
 * await sub.transport.subscribe([{ topic: `${prefix}/a`, qos: 1 }]);
 * ```
 */
export class ClientPool {
  private readonly open: Transport[] = [];

  constructor(private readonly env: () => ContractEnv) {}

  /** A connected client; `handler` runs before the message is recorded (to hold or fail it). */
  async connect(name: string, handler?: MessageHandler): Promise<TestClient> {
    const transport = this.env().createClient(`rmq-${name}-${uniqueToken()}`);
    this.open.push(transport);
    const received: InboundMessage[] = [];
    await transport.connect(async (message) => {
      try {
        if (handler) await handler(message);
      } finally {
        received.push(message);
      }
    });
    return { transport, received, on: (topic) => received.filter((m) => m.topic === topic) };
  }

  /** Closes every client of the test. */
  async closeAll(): Promise<void> {
    const open = this.open.splice(0);
    await Promise.all(open.map((transport) => transport.close()));
  }
}

/** Publishes a marker and waits until `client` got it: everything published before has landed. */
export async function flush(publisher: Transport, client: TestClient, markerTopic: string): Promise<void> {
  const payload = Buffer.from(uniqueToken());
  await publisher.publish(markerTopic, payload, { qos: 1 });
  await waitUntil(`marker on ${markerTopic}`, () =>
    client.on(markerTopic).some((m) => m.payload.equals(payload)),
  );
}

/** The subscription identifiers of a message as an array (mqtt.js gives a number for one). */
export function idsOf(message: InboundMessage): number[] {
  const ids = message.properties.subscriptionIdentifier;
  if (ids === undefined) return [];
  return Array.isArray(ids) ? ids : [ids];
}
