/**
 * An in-process MQTT 5 broker for tests: no sockets, same routing rules as a real broker.
 * @module
 */
import { RouteMQError } from '../errors';
import { matchesFilter } from '../routing/topic-filter';
import { assertPublishTopic } from './publish-topic';
import { parseSubscriptionFilter, subscriptionFilterProblem } from './subscription-filter';
import type {
  InboundMessage,
  MessageProperties,
  PublishOptions,
  QoS,
  SubscriptionRequest,
} from './transport';

/** A connected client as the broker sees it (a {@link MemoryTransport} registers one). */
export interface MemoryBrokerClient {
  readonly clientId: string;
  /** Called synchronously while routing; the client queues the message and handles it later. */
  deliver(message: InboundMessage): void;
}

/** How a client whose several subscriptions match one message receives it. */
export type OverlapMode = 'per-subscription' | 'per-client';

/** Options of a {@link MemoryBroker}. */
export interface MemoryBrokerOptions {
  /**
   * Both are allowed by MQTT 5.0 section 3.3.4. `'per-subscription'` (default, what Mosquitto 2 does):
   * one copy per matching subscription, each with that subscription's QoS and identifier.
   * `'per-client'` (what aedes does): one copy at the highest granted QoS carrying every identifier.
   */
  overlappingSubscriptions?: OverlapMode;
}

interface Subscription {
  readonly filter: string;
  readonly group?: string;
  readonly qos: QoS;
  readonly id?: number;
}

interface Session {
  readonly client: MemoryBrokerClient;
  /** Keyed by the full SUBSCRIBE filter: a new SUBSCRIBE to the same filter replaces it [MQTT-3.8.4-3]. */
  readonly subscriptions: Map<string, Subscription>;
  lastMessageId: number;
}

interface Message {
  readonly topic: string;
  readonly payload: Buffer;
  readonly qos: QoS;
  readonly properties: MessageProperties;
}

/**
 * The in-memory broker: wildcards, retained messages, QoS downgrade, `$share` groups (round-robin, one
 * copy per group), subscription identifiers and MQTT 5 properties. Sessions are always clean.
 *
 * @example
 * ```ts
 * const broker = new MemoryBroker();
 * const worker = new MemoryTransport(broker, { clientId: 'worker' });
 * await worker.connect(async (message) => console.log(message.topic));
 * await worker.subscribe([{ topic: 'sensors/+/data', qos: 1, id: 1 }]);
 * await new MemoryTransport(broker).publish('sensors/7/data', Buffer.from('{}'));
 * ```
 */
export class MemoryBroker {
  private readonly sessions = new Map<string, Session>();
  private readonly retained = new Map<string, Message>();
  private readonly shareTurns = new Map<string, number>();
  private readonly overlap: OverlapMode;

  constructor(options: MemoryBrokerOptions = {}) {
    this.overlap = options.overlappingSubscriptions ?? 'per-subscription';
  }

  /** Registers a client; an existing session with the same client id is taken over [MQTT-3.1.4-3]. */
  connect(client: MemoryBrokerClient): void {
    this.sessions.set(client.clientId, { client, subscriptions: new Map(), lastMessageId: 0 });
  }

  /** Removes the client and its subscriptions (a clean session ends with its connection). */
  disconnect(client: MemoryBrokerClient): void {
    if (this.sessions.get(client.clientId)?.client === client) this.sessions.delete(client.clientId);
  }

  /** Adds subscriptions, then sends matching retained messages (never for shared ones, MQTT 5.0 4.8.2). */
  subscribe(client: MemoryBrokerClient, requests: readonly SubscriptionRequest[]): void {
    const session = this.sessionOf(client);
    for (const request of requests) assertValidFilter(request.topic);
    for (const request of requests) {
      const subscription = { ...parseSubscriptionFilter(request.topic), qos: request.qos, id: request.id };
      session.subscriptions.set(request.topic, subscription);
      if (subscription.group === undefined) this.sendRetained(session, subscription);
    }
  }

  /** Removes subscriptions by their full filter; unknown filters are ignored. */
  unsubscribe(client: MemoryBrokerClient, topics: readonly string[]): void {
    const session = this.sessionOf(client);
    for (const topic of topics) session.subscriptions.delete(topic);
  }

  /** Routes one message to every matching subscription; stores or clears (empty payload) a retained one. */
  publish(topic: string, payload: Buffer, options: PublishOptions = {}): void {
    // A real broker refuses (and disconnects) a PUBLISH whose topic holds a wildcard [MQTT-3.3.2-2].
    assertPublishTopic(topic);
    const message: Message = {
      topic,
      payload: Buffer.from(payload),
      qos: options.qos ?? 0,
      properties: { ...options.properties },
    };
    if (options.retain) this.retain(message);
    for (const session of this.sessions.values()) this.sendDirect(session, message);
    this.sendShared(message);
  }

  /** The retained message on a topic, if any (for assertions). */
  retainedMessage(topic: string): { payload: Buffer; qos: QoS } | undefined {
    const message = this.retained.get(topic);
    return message && { payload: message.payload, qos: message.qos };
  }

  /** Client ids of the connected clients. */
  get clientIds(): string[] {
    return [...this.sessions.keys()];
  }

  private retain(message: Message): void {
    if (message.payload.length === 0) this.retained.delete(message.topic);
    else this.retained.set(message.topic, message);
  }

  private sendRetained(session: Session, subscription: Subscription): void {
    for (const message of this.retained.values()) {
      if (matchesFilter(subscription.filter, message.topic))
        this.send(session, message, [subscription], true);
    }
  }

  private sendDirect(session: Session, message: Message): void {
    const matching = [...session.subscriptions.values()].filter(
      (s) => s.group === undefined && matchesFilter(s.filter, message.topic),
    );
    if (matching.length === 0) return;
    if (this.overlap === 'per-client') this.send(session, message, matching, false);
    else for (const subscription of matching) this.send(session, message, [subscription], false);
  }

  /** One copy per share group, to the members in turn (Mosquitto's round-robin). */
  private sendShared(message: Message): void {
    const groups = new Map<string, { session: Session; subscription: Subscription }[]>();
    for (const session of this.sessions.values()) {
      for (const [key, subscription] of session.subscriptions) {
        if (subscription.group === undefined || !matchesFilter(subscription.filter, message.topic)) continue;
        groups.set(key, [...(groups.get(key) ?? []), { session, subscription }]);
      }
    }
    for (const [key, members] of groups) {
      const turn = this.shareTurns.get(key) ?? 0;
      this.shareTurns.set(key, turn + 1);
      const { session, subscription } = members[turn % members.length];
      this.send(session, message, [subscription], false);
    }
  }

  private send(session: Session, message: Message, subscriptions: Subscription[], retain: boolean): void {
    const granted = Math.max(...subscriptions.map((s) => s.qos)) as QoS;
    const qos = Math.min(message.qos, granted) as QoS;
    const ids = subscriptions.flatMap((s) => (s.id === undefined ? [] : [s.id]));
    const properties: MessageProperties = { ...message.properties };
    if (ids.length > 0) properties.subscriptionIdentifier = ids.length === 1 ? ids[0] : ids;
    session.client.deliver({
      topic: message.topic,
      // A copy per delivery: one handler mutating its Buffer must not change what another one sees.
      payload: Buffer.from(message.payload),
      qos,
      retain,
      dup: false,
      messageId: qos > 0 ? this.nextMessageId(session) : undefined,
      properties,
    });
  }

  /** Packet identifiers are 1..65535 [MQTT-2.2.1-3]. */
  private nextMessageId(session: Session): number {
    session.lastMessageId = (session.lastMessageId % 65535) + 1;
    return session.lastMessageId;
  }

  private sessionOf(client: MemoryBrokerClient): Session {
    const session = this.sessions.get(client.clientId);
    if (session?.client === client) return session;
    throw new RouteMQError(
      'ERR_NOT_CONNECTED',
      `Client ${client.clientId} is not connected to the memory broker.`,
    );
  }
}

function assertValidFilter(topic: string): void {
  const problem = subscriptionFilterProblem(topic);
  if (problem === undefined) return;
  throw new RouteMQError(
    'ERR_SUBSCRIBE_FAILED',
    `The memory broker refused the subscription to ${JSON.stringify(topic)}: ${problem}.`,
  );
}
