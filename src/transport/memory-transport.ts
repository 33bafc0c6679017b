/**
 * The in-memory {@link Transport}: a client of a {@link MemoryBroker}, for tests without sockets.
 * @module
 */
import { RouteMQError } from '../errors';
import type { MemoryBroker, MemoryBrokerClient } from './memory-broker';
import { assertPublishTopic } from './publish-topic';
import { InFlightTracker } from '../concurrency/in-flight-tracker';
import type {
  CloseOptions,
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
  /** How long close() waits for the messages already received to be handled; default 10000 ms. */
  closeTimeoutMs?: number;
}

let clientCount = 0;

/**
 * A transport over a {@link MemoryBroker}. Like {@link MqttTransport} it hands deliveries to the
 * handler one at a time, in arrival order, each after the previous handler's promise settled;
 * deliveries never run inside the publish call that caused them. close() stops intake and lets the
 * messages already received finish (publishing still works meanwhile).
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
  private readonly deliveries = new InFlightTracker();
  private readonly onHandlerError: (error: unknown, message: InboundMessage) => void;
  private readonly closeTimeoutMs: number;
  private state: 'idle' | 'connected' | 'closing' | 'closed' = 'idle';
  private handler: MessageHandler | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly broker: MemoryBroker,
    options: MemoryTransportOptions = {},
  ) {
    this.clientId = options.clientId ?? `memory-${++clientCount}`;
    this.onHandlerError = options.onHandlerError ?? warnHandlerError;
    this.closeTimeoutMs = options.closeTimeoutMs ?? 10_000;
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

  /** Stops intake, waits (bounded) for the messages already received, then disconnects. Idempotent. */
  close(options: CloseOptions = {}): Promise<void> {
    this.closing ??= this.shutdown(options.timeoutMs ?? this.closeTimeoutMs);
    return this.closing;
  }

  private async shutdown(timeoutMs: number): Promise<void> {
    if (this.state === 'connected') {
      this.state = 'closing';
      this.broker.disconnect(this.endpoint);
      await this.deliveries.idle(timeoutMs);
    }
    this.state = 'closed';
  }

  private enqueue(message: InboundMessage): void {
    if (this.state !== 'connected') return;
    // Handed over at once, like the mqtt.js transport: concurrency is the dispatcher's business.
    void this.deliveries.track(this.deliver(message));
  }

  private async deliver(message: InboundMessage): Promise<void> {
    try {
      if (this.handler) await this.handler(message);
    } catch (error) {
      this.onHandlerError(error, message);
    }
  }

  private assertConnected(action: string): void {
    if (this.state === 'connected' || this.state === 'closing') return;
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
