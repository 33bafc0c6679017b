import type {
  CloseOptions,
  DeliveryOutcome,
  InboundMessage,
  MessageHandler,
  PublishOptions,
  SubscriptionRequest,
  Transport,
} from '../transport/transport';

/** Runs a claimed delivery and says whether to acknowledge it. */
export type ClaimRunner = (message: InboundMessage) => Promise<DeliveryOutcome>;

interface Claim {
  readonly topic: string;
  readonly payload: Buffer;
  readonly run: ClaimRunner;
}

/**
 * A transport decorator for tests against a real broker: a test publishes a message and claims its
 * deliveries (same topic and bytes), which then run through the claim's runner (the app's dispatch,
 * which reports what each route did) instead of the app's handler. Every other delivery goes to the
 * app as usual.
 *
 * @example
 * ```ts
 * const release = claiming.claim(topic, payload, (message) => runAndRecord(message));
 * await claiming.publishDirect(topic, payload, { qos: 1 });
 * ```
 */
export class ClaimingTransport implements Transport {
  readonly #claims: Claim[] = [];

  constructor(private readonly inner: Transport) {}

  get description(): string {
    return this.inner.description;
  }
  get capabilities() {
    return this.inner.capabilities;
  }

  connect(handler: MessageHandler): Promise<void> {
    return this.inner.connect((message) => {
      const claim = this.#claims.find((c) => c.topic === message.topic && c.payload.equals(message.payload));
      return claim ? claim.run(message) : handler(message);
    });
  }

  /** Routes the deliveries of this topic and payload to `run` until the returned function is called. */
  claim(topic: string, payload: Buffer, run: ClaimRunner): () => void {
    const claim: Claim = { topic, payload, run };
    this.#claims.push(claim);
    return () => {
      const index = this.#claims.indexOf(claim);
      if (index >= 0) this.#claims.splice(index, 1);
    };
  }

  /** Publishes past any recording layer above (a test's own message is not something the app published). */
  publishDirect(topic: string, payload: Buffer, options?: PublishOptions): Promise<void> {
    return this.inner.publish(topic, payload, options);
  }

  subscribe(requests: readonly SubscriptionRequest[]): Promise<void> {
    return this.inner.subscribe(requests);
  }
  unsubscribe(topics: readonly string[]): Promise<void> {
    return this.inner.unsubscribe(topics);
  }
  publish(topic: string, payload: Buffer, options?: PublishOptions): Promise<void> {
    return this.inner.publish(topic, payload, options);
  }
  close(options?: CloseOptions): Promise<void> {
    return this.inner.close(options);
  }
}
