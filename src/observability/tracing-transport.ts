import type {
  CloseOptions,
  MessageHandler,
  PublishOptions,
  SubscriptionRequest,
  Transport,
  TransportCapabilities,
} from '../transport/transport';
import { currentTrace, withTraceContext } from './trace-context';

/**
 * A transport that adds the current trace context (`traceparent`, `tracestate` user properties) to
 * every publish made while a traced message is handled: replies, dead letters, and what the handler
 * publishes through `ctx.publish` or an injected `MqttPublisher`. Everything else is passed through.
 * Outside a traced message it costs one property read.
 *
 * @example
 * ```ts
 * const publisher = new MqttPublisher(new TracingTransport(slot));
 * ```
 */
export class TracingTransport implements Transport {
  constructor(private readonly inner: Transport) {}

  get description(): string {
    return this.inner.description;
  }

  get capabilities(): TransportCapabilities {
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

  publish(topic: string, payload: Buffer, options?: PublishOptions): Promise<void> {
    const trace = currentTrace();
    return this.inner.publish(topic, payload, trace ? withTraceContext(options, trace) : options);
  }

  close(options?: CloseOptions): Promise<void> {
    return this.inner.close(options);
  }
}
