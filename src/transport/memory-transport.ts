/**
 * The in-memory {@link Transport}: a client of a {@link MemoryBroker}, for tests without sockets.
 * @module
 */
import { RouteMQError } from '../errors';
import type { MemoryBroker, MemoryBrokerClient } from './memory-broker';
import { assertPublishTopic } from './publish-topic';
import type {
  InboundMessage,
  MessageHandler,
  PublishOptions,
  SubscriptionRequest,
  Transport,
  TransportCapabilities,
} from './transport';

/** Options of a {@link MemoryTransport}. */
export interface MemoryTransportOptions {
  /** Default `memory-<n>`; connecting with the id of a connected client takes its session over. */
  clientId?: string;
  /** Called when the handler rejects (the message counts as acknowledged anyway); default: a process warning. */
  onHandlerError?: (error: unknown, message: InboundMessage) => void;
}

let clientCount = 0;

/**
 * A transport over a {@link MemoryBroker}. Like mqtt.js it hands deliveries to the handler one at a
 * time, in arrival order, each after the previous handler's promise settled; deliveries never run
 * inside the publish call that caused them.
 *
 * @example
 * ```ts
 * const broker = new MemoryBroker();
 * const transport = new MemoryTransport(broker, { clientId: 'app' });
 * await transport.connect(async (message) => handle(message));
 * await transport.subscribe([{ topic: 'sensors/#', qos: 1 }]);
 * ```
 */
export class MemoryTransport implements Transport {
  readonly description = 'memory';
  readonly capabilities: TransportCapabilities = {
    sharedSubscriptions: true,
    subscriptionIdentifiers: true,
    properties: true,
  };
  readonly clientId: string;
  private readonly endpoint: MemoryBrokerClient;
  private readonly inbox: InboundMessage[] = [];
  private readonly onHandlerError: (error: unknown, message: InboundMessage) => void;
  private state: 'idle' | 'connected' | 'closed' = 'idle';
  private handler: MessageHandler | undefined;
  private draining = false;

  constructor(
    private readonly broker: MemoryBroker,
    options: MemoryTransportOptions = {},
  ) {
    this.clientId = options.clientId ?? `memory-${++clientCount}`;
    this.onHandlerError = options.onHandlerError ?? warnHandlerError;
    this.endpoint = { clientId: this.clientId, deliver: (message) => this.enqueue(message) };
  }

  async connect(handler: MessageHandler): Promise<void> {
    if (this.state !== 'idle') {
      throw new RouteMQError(
        'ERR_APP_STATE',
        `connect() runs once per transport; ${this.clientId} is ${this.state}.`,
      );
    }
    this.handler = handler;
    this.broker.connect(this.endpoint);
    this.state = 'connected';
  }

  async subscribe(requests: readonly SubscriptionRequest[]): Promise<void> {
    this.assertConnected('subscribe');
    this.broker.subscribe(this.endpoint, requests);
  }

  async unsubscribe(topics: readonly string[]): Promise<void> {
    this.assertConnected('unsubscribe');
    this.broker.unsubscribe(this.endpoint, topics);
  }

  async publish(topic: string, payload: Buffer, options?: PublishOptions): Promise<void> {
    assertPublishTopic(topic);
    this.assertConnected(`publish to ${JSON.stringify(topic)}`);
    this.broker.publish(topic, payload, options);
  }

  /** Disconnects; messages queued but not yet handed to the handler are dropped (clean session). */
  async close(): Promise<void> {
    if (this.state === 'connected') this.broker.disconnect(this.endpoint);
    this.state = 'closed';
    this.inbox.length = 0;
  }

  private enqueue(message: InboundMessage): void {
    this.inbox.push(message);
    if (this.draining) return;
    this.draining = true;
    // setImmediate, not a microtask: the publisher's own continuation runs before any delivery.
    setImmediate(() => void this.drain());
  }

  private async drain(): Promise<void> {
    for (let message = this.inbox.shift(); message; message = this.inbox.shift()) {
      try {
        if (this.handler) await this.handler(message);
      } catch (error) {
        this.onHandlerError(error, message);
      }
    }
    this.draining = false;
  }

  private assertConnected(action: string): void {
    if (this.state === 'connected') return;
    const reason = this.state === 'closed' ? 'it is closed' : 'connect() has not been called';
    throw new RouteMQError(
      'ERR_NOT_CONNECTED',
      `Cannot ${action} on memory transport ${this.clientId}: ${reason}.`,
    );
  }
}

function warnHandlerError(error: unknown, message: InboundMessage): void {
  const reason = error instanceof Error ? error.message : String(error);
  process.emitWarning(`MemoryTransport handler failed for ${message.topic}: ${reason}`, 'RouteMQWarning');
}
