/**
 * The mqtt.js adapter: the {@link Transport} the app uses against a real broker.
 *
 * Its one non-obvious duty is at-least-once processing: the PUBACK/PUBCOMP of a delivery goes out only
 * after the {@link MessageHandler} settled (DESIGN section 4), while the connection keeps reading
 * packets so that neither the keepalive nor the handler's own publishes wait for it (MQTT.js#1935).
 * @module
 */
import { connect, type IClientPublishOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import { RouteMQError } from '../errors';
import { redactUrl } from '../redaction';
import { AckSequencer } from './ack-sequencer';
import { interceptAcks } from './mqtt-ack-interceptor';
import { firstConnack, watchConnection } from './mqtt-connection';
import {
  brokerUnreachable,
  subscribeFailure,
  toInboundMessage,
  toSubscribeCalls,
  type SubscribeCall,
} from './mqtt-mapping';
import {
  capabilitiesOf,
  intakeLimitsOf,
  sessionWarning,
  silentLogger,
  toClientOptions,
  type MqttTransportOptions,
  type TransportLogger,
} from './mqtt-transport-options';
import { PendingPublishes } from './pending-publishes';
import { assertPublishTopic } from './publish-topic';
import { InFlightTracker } from '../concurrency/in-flight-tracker';
import { IntakeGate } from './intake-gate';
import { ReconnectBackoff } from './reconnect-backoff';
import { Reconnector } from './mqtt-reconnector';
import type {
  CloseOptions,
  DeliveryOutcome,
  InboundMessage,
  MessageHandler,
  PublishOptions,
  SubscriptionRequest,
  Transport,
  TransportCapabilities,
} from './transport';

export type { MqttTransportOptions, TransportLogger } from './mqtt-transport-options';

type State = 'idle' | 'connecting' | 'connected' | 'closing' | 'closed';

/** QoS 0 deliveries have nothing to acknowledge. */
const noAck = (): void => undefined;

/** mqtt.js' default: a fixed period, no backoff (research/reliability.md section 1). */

/**
 * A {@link Transport} over mqtt.js. Deliveries reach the handler one at a time in arrival order; the
 * acknowledgement of each is held until its handler settled (rejections are logged, then acknowledged:
 * MQTT has no negative ack). close() stops intake, lets the messages already received finish and flushes
 * their acknowledgements and the outgoing publishes (bounded by closeTimeoutMs), then disconnects.
 *
 * @example
 * ```ts
 * const transport = new MqttTransport({ url: 'mqtt://127.0.0.1:1883', clientId: 'worker-1' }, logger);
 * await transport.connect(async (message) => console.log(message.topic, message.payload.toString()));
 * await transport.subscribe([{ topic: '$share/workers/sensors/+/data', qos: 1, id: 1 }]);
 * await transport.publish('alerts/42', Buffer.from('{"hot":true}'), { qos: 1 });
 * await transport.close();
 * ```
 */
export class MqttTransport implements Transport {
  readonly description: string;
  readonly capabilities: TransportCapabilities;
  /**
   * The mqtt.js client. Protected, not public, only so that a test subclass can simulate a crash with
   * `this.client.end(true)`; nothing else should reach it.
   */
  protected readonly client: MqttClient;
  private readonly protocolVersion: 4 | 5;
  private readonly deliveries = new InFlightTracker();
  private readonly acks = new AckSequencer();
  private readonly unacked = new PendingPublishes();
  private readonly intake: IntakeGate;
  /** A PINGREQ went out and its PINGRESP was not read yet (the intake gate must not starve it). */
  private pingOutstanding = false;
  /** SUBSCRIBE/UNSUBSCRIBE calls waiting for their SUBACK/UNSUBACK. */
  private controlRequests = 0;
  private readonly reconnector: Reconnector;
  /** What to subscribe again when a reconnect finds no session (mqtt.js only does it with its own reconnect). */
  private readonly subscriptions = new Map<string, SubscriptionRequest>();
  private state: State = 'idle';
  private handler: MessageHandler | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly options: MqttTransportOptions,
    private readonly logger: TransportLogger = silentLogger,
  ) {
    this.protocolVersion = options.protocolVersion ?? 5;
    this.description = redactUrl(options.url);
    this.capabilities = capabilitiesOf(options, this.protocolVersion);
    this.client = connect(options.url, toClientOptions(options, this.protocolVersion));
    interceptAcks(this.client, this.acks);
    this.intake = new IntakeGate(intakeLimitsOf(options), {
      waitsForBroker: () => this.pingOutstanding || this.controlRequests > 0 || this.unacked.size > 0,
    });
    this.watchPings();
    options.observer?.attach?.({
      heldMessages: () => this.intake.messages,
      heldBytes: () => this.intake.bytes,
      oldestUnackedMs: () => this.acks.oldestAgeMs(),
    });
    this.reconnector = new Reconnector(
      this.client,
      new ReconnectBackoff(options.reconnectMinMs ?? 500, options.reconnectMaxMs ?? 30_000),
      this.logger,
      this.description,
    );
    this.client.handleMessage = (packet, done) => {
      this.accept(packet);
      // Not held for the handler: mqtt.js reads packets one at a time behind this callback, PINGRESP
      // and the PUBACKs of our own publishes included, so holding it per message would deadlock a
      // handler that awaits its own QoS 1 publish and trip the keepalive on a slow one (MQTT.js#1935).
      // The intake gate holds it only past MAX_HELD_MESSAGES/MAX_HELD_BYTES (intake-gate.ts). The ack
      // mqtt.js sends from here is captured by interceptAcks and released by the AckSequencer.
      this.intake.pass(done);
    };
    this.client.on('connect', (connack) => {
      if (this.state === 'connected' && !connack.sessionPresent) void this.restoreSubscriptions();
    });
    // Held acks belong to the lost connection; the broker redelivers those messages [MQTT-4.4.0-1].
    this.client.on('close', () => {
      this.acks.reset();
      this.pingOutstanding = false;
      this.intake.reset();
    });
    const observer = options.observer;
    if (observer) {
      this.client.on('connect', () => observer.connected());
      this.client.on('close', () => observer.disconnected());
    }
    // connect() reports the first attempt's errors itself.
    watchConnection(this.client, this.logger, this.description, () => this.state === 'connecting');
    const warning = sessionWarning(options, this.protocolVersion);
    if (warning) this.logger.warn({ broker: this.description }, warning);
  }

  async connect(handler: MessageHandler): Promise<void> {
    if (this.state !== 'idle') {
      const problem = `connect() runs once per transport; the one to ${this.description} is ${this.state}`;
      throw new RouteMQError('ERR_APP_STATE', `${problem}. Create a new MqttTransport to connect again.`);
    }
    this.handler = handler;
    this.state = 'connecting';
    try {
      await firstConnack(this.client, () => this.reconnector.arm());
      if (this.state === 'connecting') this.state = 'connected';
    } catch (error) {
      this.state = 'closed';
      this.reconnector.disarm();
      this.client.end(true);
      throw brokerUnreachable(this.description, error);
    }
  }

  async subscribe(requests: readonly SubscriptionRequest[]): Promise<void> {
    this.assertOpen(`subscribe to ${requests.map((r) => r.topic).join(', ')}`);
    const calls = toSubscribeCalls(requests, this.protocolVersion === 5);
    await Promise.all(calls.map((call) => this.subscribeOnce(call)));
    for (const request of requests) this.subscriptions.set(request.topic, request);
  }

  async unsubscribe(topics: readonly string[]): Promise<void> {
    this.assertOpen(`unsubscribe from ${topics.join(', ')}`);
    await this.awaitingBroker(() => this.client.unsubscribeAsync([...topics]));
    for (const topic of topics) this.subscriptions.delete(topic);
  }

  async publish(topic: string, payload: Buffer, options: PublishOptions = {}): Promise<void> {
    assertPublishTopic(topic);
    this.assertOpen(`publish to ${JSON.stringify(topic)}`);
    this.assertOfflineRoom(topic);
    const publishOptions: IClientPublishOptions = { qos: options.qos ?? 0, retain: options.retain ?? false };
    if (this.protocolVersion === 5 && options.properties)
      publishOptions.properties = { ...options.properties };
    await this.unacked.track((settle) => this.client.publish(topic, payload, publishOptions, settle));
  }

  close(options: CloseOptions = {}): Promise<void> {
    this.closing ??= this.shutdown(options.timeoutMs ?? this.options.closeTimeoutMs ?? 10_000);
    return this.closing;
  }

  /**
   * Hands a delivery to the handler without waiting for the previous one: concurrency is the
   * dispatcher's business (per route), ack order the sequencer's. After close() started, intake stops
   * and the ack is never sent (the broker redelivers to the next session).
   */
  private accept(packet: IPublishPacket): void {
    const slot =
      packet.qos > 0 && packet.messageId !== undefined ? this.acks.admit(packet.messageId) : undefined;
    // Not `!== 'connected'`: with clean:false queued messages follow CONNACK before connect() resumes.
    if (this.state === 'closing' || this.state === 'closed') return;
    const message = toInboundMessage(packet);
    const settle = this.intake.admit(message.payload.length + message.topic.length);
    void this.deliveries.track(this.deliver(message, this.acknowledger(slot)).finally(settle));
  }

  /** Tracks whether a PINGRESP is due, so that a stopped intake still reads it. */
  private watchPings(): void {
    this.client.on('packetsend', (packet) => {
      if (packet.cmd === 'pingreq') this.pingOutstanding = true;
    });
    this.client.on('packetreceive', (packet) => {
      if (packet.cmd === 'pingresp') this.pingOutstanding = false;
    });
  }

  /** Releases a delivery's ack; with an observer, also reports how long after arrival (ack lag). */
  private acknowledger(slot: { done(): void } | undefined): () => void {
    if (!slot) return noAck;
    const observer = this.options.observer;
    if (!observer?.acknowledged) return () => slot.done();
    const arrivedAt = performance.now();
    return () => {
      slot.done();
      observer.acknowledged?.(performance.now() - arrivedAt);
    };
  }

  private async deliver(message: InboundMessage, acknowledge: () => void): Promise<void> {
    let outcome: DeliveryOutcome | void = 'acknowledge';
    try {
      if (this.handler) outcome = await this.handler(message);
    } catch (error) {
      // Acknowledge anyway: a missing PUBACK is not resent on a live connection, and after
      // max_inflight_messages of them the broker stops delivering to this client (DESIGN section 5).
      this.logger.error({ err: error, topic: message.topic }, 'message handler failed; acknowledging anyway');
    }
    if (outcome !== 'withhold') acknowledge();
  }

  /** After a reconnect without a session (clean, expired, or broker restarted without persistence). */
  private async restoreSubscriptions(): Promise<void> {
    const requests = [...this.subscriptions.values()];
    if (requests.length === 0) return;
    try {
      const calls = toSubscribeCalls(requests, this.protocolVersion === 5);
      await Promise.all(calls.map((call) => this.subscribeOnce(call)));
      this.logger.info(
        { broker: this.description, subscriptions: requests.length },
        'subscriptions restored',
      );
    } catch (error) {
      this.logger.error({ err: error, broker: this.description }, 'restoring subscriptions failed');
    }
  }

  private async subscribeOnce({ requests, filters, options }: SubscribeCall): Promise<void> {
    try {
      await this.awaitingBroker(() => this.client.subscribeAsync(filters, options));
    } catch (error) {
      throw subscribeFailure(requests, error, this.description);
    }
  }

  /** Runs a request whose answer the intake gate must let through. */
  private async awaitingBroker<T>(request: () => Promise<T>): Promise<T> {
    this.controlRequests++;
    try {
      return await request();
    } finally {
      this.controlRequests--;
    }
  }

  /** Publishes made while offline wait in memory: bounded, never an unbounded queue (issue 4). */
  private assertOfflineRoom(topic: string): void {
    const limit = this.options.offlineQueueLimit ?? 1000;
    if (this.client.connected || this.unacked.size < limit) return;
    throw new RouteMQError(
      'ERR_NOT_CONNECTED',
      `Cannot publish to ${JSON.stringify(topic)}: the broker ${this.description} is unreachable and ` +
        `${this.unacked.size} publishes already wait for it (MQTT_OFFLINE_QUEUE_LIMIT=${limit}). Retry later.`,
    );
  }

  private assertOpen(action: string): void {
    if (this.state === 'connected' || this.state === 'closing') return;
    const reason = this.state === 'closed' ? 'it is closed' : 'connect() has not completed';
    throw new RouteMQError(
      'ERR_NOT_CONNECTED',
      `Cannot ${action} on the transport to ${this.description}: ${reason}.`,
    );
  }

  private async shutdown(timeoutMs: number): Promise<void> {
    const previous = this.state;
    // idle: no socket was ever opened; closed: a failed connect() already stopped the client.
    if (previous === 'idle' || previous === 'closed') {
      this.state = 'closed';
      return;
    }
    this.state = 'closing';
    if (previous === 'connected') await this.flush(timeoutMs);
    this.state = 'closed';
    // A graceful end() waits for mqtt.js' own outgoing list, which never empties while offline; force then.
    const force = !this.client.connected || this.unacked.size > 0;
    const closedEarly = `The transport to ${this.description} closed before the broker acknowledged this publish.`;
    this.unacked.abandon(() => new RouteMQError('ERR_NOT_CONNECTED', closedEarly));
    this.reconnector.disarm();
    this.intake.reset();
    await this.client.endAsync(force);
    this.logger.info({ broker: this.description, forced: force }, 'MQTT connection closed');
  }

  /** Lets received messages finish (their acks go out), then waits for outgoing publishes. */
  private async flush(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    if (!(await this.deliveries.idle(timeoutMs))) {
      this.logger.warn(
        { broker: this.description, pending: this.deliveries.count },
        'handlers still running at close',
      );
    }
    await this.unacked.drain(Math.max(0, deadline - Date.now()));
  }
}
