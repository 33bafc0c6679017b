import { EventEmitter } from 'node:events';
import type {
  CloseOptions,
  MessageHandler,
  PublishOptions,
  SubscriptionRequest,
  Transport,
} from '../transport/transport';

/** One message the app published, as a test sees it. */
export interface PublishedMessage {
  readonly topic: string;
  readonly payload: Buffer;
  readonly qos: 0 | 1 | 2;
  readonly retain: boolean;
  readonly properties?: PublishOptions['properties'];
  /** The payload parsed as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
}

/** Wraps a transport and records every publish the app makes (successful or not). */
export class RecordingTransport implements Transport {
  readonly published: PublishedMessage[] = [];
  readonly events = new EventEmitter();

  constructor(private readonly inner: Transport) {}

  get description(): string {
    return this.inner.description;
  }
  get capabilities() {
    return this.inner.capabilities;
  }
  connect(handler: MessageHandler): Promise<void> {
    return this.inner.connect(handler);
  }
  subscribe(requests: readonly SubscriptionRequest[]): Promise<void> {
    return this.inner.subscribe(requests);
  }
  unsubscribe(topics: readonly string[]): Promise<void> {
    return this.inner.unsubscribe(topics);
  }
  async publish(topic: string, payload: Buffer, options: PublishOptions = {}): Promise<void> {
    await this.inner.publish(topic, payload, options);
    const message: PublishedMessage = {
      topic,
      payload,
      qos: options.qos ?? 0,
      retain: options.retain ?? false,
      properties: options.properties,
      json: parseJson(payload),
    };
    this.published.push(message);
    this.events.emit('published', message);
  }
  close(options?: CloseOptions): Promise<void> {
    return this.inner.close(options);
  }
}

function parseJson(payload: Buffer): unknown {
  try {
    return JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
}
