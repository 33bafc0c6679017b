import { RouteMQError } from '../errors';
import type {
  CloseOptions,
  MessageHandler,
  PublishOptions,
  SubscriptionRequest,
  Transport,
  TransportCapabilities,
} from '../transport/transport';

const NONE: TransportCapabilities = {
  sharedSubscriptions: false,
  subscriptionIdentifiers: false,
  properties: false,
};

/**
 * Stands in for the transport from `createApp` (when controllers get their publisher injected) until
 * `start()` has connected the real one; publishing before that fails with a clear ERR_NOT_CONNECTED.
 */
export class TransportSlot implements Transport {
  #target: Transport | undefined;

  /** Plugs in the connected transport (or unplugs it with undefined on stop). */
  attach(target: Transport | undefined): void {
    this.#target = target;
  }

  get description(): string {
    return this.#target?.description ?? 'not connected';
  }

  get capabilities(): TransportCapabilities {
    return this.#target?.capabilities ?? NONE;
  }

  connect(handler: MessageHandler): Promise<void> {
    return this.#current('connect').connect(handler);
  }

  subscribe(requests: readonly SubscriptionRequest[]): Promise<void> {
    return this.#current('subscribe').subscribe(requests);
  }

  unsubscribe(topics: readonly string[]): Promise<void> {
    return this.#current('unsubscribe').unsubscribe(topics);
  }

  async publish(topic: string, payload: Buffer, options?: PublishOptions): Promise<void> {
    return this.#current(`publish to '${topic}'`).publish(topic, payload, options);
  }

  async close(options?: CloseOptions): Promise<void> {
    await this.#target?.close(options);
  }

  #current(action: string): Transport {
    if (this.#target) return this.#target;
    throw new RouteMQError(
      'ERR_NOT_CONNECTED',
      `Cannot ${action}: the app is not started. Call await app.start() first (publish from handlers, not constructors).`,
    );
  }
}
