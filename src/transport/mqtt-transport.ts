/**
 * The mqtt.js adapter: the {@link Transport} the app uses against a real broker.
 *
 * Its one non-obvious duty is at-least-once processing: the PUBACK/PUBCOMP of a delivery goes out only
 * after the {@link MessageHandler} settled (docs/reliability.md), while the connection keeps reading
 * packets (see the `handleMessage` hook in the constructor for why).
 * @module
 */
import {
  connect,
  type IClientPublishOptions,
  type IConnackPacket,
  type IPublishPacket,
  type MqttClient,
} from 'mqtt';
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
import { capabilitiesFrom } from './broker-capabilities';
import {
  isProtocolRefusal,
  noCommonProtocol,
  protocolRefused,
  versionName,
  type ProtocolChoice,
} from './protocol-negotiation';
import { assertPublishAccepted, clampQoS } from './publish-limits';
import { probeMaximumQoS } from './qos-probe';
import {
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
  QoS,
  SubscriptionRequest,
  Transport,
  TransportCapabilities,
} from './transport';

export type { MqttTransportOptions, TransportLogger } from './mqtt-transport-options';

type State = 'idle' | 'connecting' | 'connected' | 'closing' | 'closed';

/** QoS 0 deliveries have nothing to acknowledge. */
const noAck = (): void => undefined;

/**
 * A {@link Transport} over mqtt.js. Deliveries reach the handler in arrival order, each handed over at
 * once without waiting for the previous one (concurrency is the dispatcher's); the acknowledgement of
 * each is held until its handler settled and every earlier one was acknowledged (rejections are logged, then acknowledged:
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
  /**
   * The mqtt.js client of the current protocol version (`auto` replaces it once when MQTT 5 is
   * refused). Protected, not public, only so that a test subclass can simulate a crash with
   * `this.client.end(true)`; nothing else should reach it.
   */
  protected client!: MqttClient;
  private readonly requested: ProtocolChoice;
  private protocolVersion: 4 | 5;
  #capabilities: TransportCapabilities;
  private readonly deliveries = new InFlightTracker();
  private readonly acks = new AckSequencer();
  private readonly unacked = new PendingPublishes();
  private readonly intake: IntakeGate;
  /** A PINGREQ went out and its PINGRESP was not read yet (the intake gate must not starve it). */
  private pingOutstanding = false;
  /** SUBSCRIBE/UNSUBSCRIBE calls waiting for their SUBACK/UNSUBACK. */
  private controlRequests = 0;
  private reconnector!: Reconnector;
  /** What to subscribe again when a reconnect finds no session (mqtt.js only does it with its own reconnect). */
  private readonly subscriptions = new Map<string, SubscriptionRequest>();
  private state: State = 'idle';
  private handler: MessageHandler | undefined;
  private closing: Promise<void> | undefined;
  /** QoS clamping is logged once per connection, not per publish. */
  private clampWarned = false;

  constructor(
    private readonly options: MqttTransportOptions,
    private readonly logger: TransportLogger = silentLogger,
  ) {
    this.requested = options.protocolVersion ?? 5;
    this.protocolVersion = this.requested === 'auto' ? 5 : this.requested;
    this.description = redactUrl(options.url);
    this.#capabilities = capabilitiesFrom(this.protocolVersion, undefined, this.overrides());
    this.intake = new IntakeGate(intakeLimitsOf(options), {
      waitsForBroker: () => this.pingOutstanding || this.controlRequests > 0 || this.unacked.size > 0,
    });
    options.observer?.attach?.({
      heldMessages: () => this.intake.messages,
      heldBytes: () => this.intake.bytes,
      oldestUnackedMs: () => this.acks.oldestAgeMs(),
    });
    this.open(this.protocolVersion);
    const warning = sessionWarning(options, this.protocolVersion);
    if (warning) this.logger.warn({ broker: this.description }, warning);
  }

  /**
   * What the broker can do. Provisional until connect() resolved; then from the negotiated version and
   * the broker's CONNACK (MQTT 5.0 section 3.2.2.3) with MQTT_SHARED_SUBSCRIPTIONS / MQTT_MAX_QOS.
   */
  get capabilities(): TransportCapabilities {
    return this.#capabilities;
  }

  async connect(handler: MessageHandler): Promise<void> {
    if (this.state !== 'idle') {
      const problem = `connect() runs once per transport; the one to ${this.description} is ${this.state}`;
      throw new RouteMQError('ERR_APP_STATE', `${problem}. Create a new MqttTransport to connect again.`);
    }
    this.handler = handler;
    this.state = 'connecting';
    const connack = await this.negotiate();
    this.#capabilities = capabilitiesFrom(this.protocolVersion, connack, this.overrides());
    if (this.protocolVersion === 4 && this.options.maxQoS === undefined) await this.learnMaximumQoS();
    if (this.state === 'connecting') this.state = 'connected';
  }

  /**
   * Connects with the requested version; under `auto`, MQTT 5 first and MQTT 3.1.1 once when the broker
   * refuses 5 (NATS answers return code 1, RabbitMQ 3.10 closes without CONNACK).
   */
  private async negotiate(): Promise<IConnackPacket> {
    const versions: (4 | 5)[] = this.requested === 'auto' ? [5, 4] : [this.requested];
    for (const [attempt, version] of versions.entries()) {
      if (attempt > 0) this.open(version);
      try {
        return await firstConnack(this.client, () => this.reconnector.arm());
      } catch (error) {
        this.reconnector.disarm();
        this.client.end(true);
        if (isProtocolRefusal(error) && attempt < versions.length - 1) {
          this.logger.info(
            { broker: this.description, refused: versionName(version) },
            `the broker does not speak ${versionName(version)}; connecting again with MQTT 3.1.1 (MQTT_PROTOCOL_VERSION=auto)`,
          );
          continue;
        }
        this.state = 'closed';
        throw this.connectFailure(error, version);
      }
    }
    throw new Error('unreachable: the last version either connects or throws');
  }

  private connectFailure(error: unknown, version: 4 | 5): Error {
    if (!isProtocolRefusal(error)) return brokerUnreachable(this.description, error);
    if (this.requested === 'auto') return noCommonProtocol(this.description, error);
    return protocolRefused(this.description, version, error);
  }

  /** An MQTT 3.1.1 CONNACK says nothing of QoS: ask with one QoS 2 probe subscription (qos-probe.ts). */
  private async learnMaximumQoS(): Promise<void> {
    const granted = await probeMaximumQoS(this.client, this.options.clientId ?? 'routemq', this.logger);
    if (granted === undefined || granted === 2) return;
    this.#capabilities = { ...this.#capabilities, maximumQoS: granted };
  }

  private overrides(): { sharedSubscriptions?: boolean; maxQoS?: QoS } {
    return { sharedSubscriptions: this.options.sharedSubscriptions, maxQoS: this.options.maxQoS };
  }

  /** Creates the mqtt.js client for `version` and wires it: acks, intake, reconnects, logs, observer. */
  private open(version: 4 | 5): void {
    this.protocolVersion = version;
    const client = connect(this.options.url, toClientOptions(this.options, version));
    this.client = client;
    interceptAcks(client, this.acks);
    this.watchPings(client);
    this.reconnector = new Reconnector(
      client,
      new ReconnectBackoff(this.options.reconnectMinMs ?? 500, this.options.reconnectMaxMs ?? 30_000),
      this.logger,
      this.description,
    );
    client.handleMessage = (packet, done) => {
      this.accept(packet);
      // Not held for the handler: mqtt.js reads packets one at a time behind this callback, PINGRESP
      // and the PUBACKs of our own publishes included, so holding it per message would deadlock a
      // handler that awaits its own QoS 1 publish and trip the keepalive on a slow one (MQTT.js#1935).
      // The intake gate holds it only past MAX_HELD_MESSAGES/MAX_HELD_BYTES (intake-gate.ts). The ack
      // mqtt.js sends from here is captured by interceptAcks and released by the AckSequencer.
      this.intake.pass(done);
    };
    client.on('connect', (connack) => {
      if (this.state === 'connected' && !connack.sessionPresent) void this.restoreSubscriptions();
    });
    // Held acks belong to the lost connection; the broker redelivers those messages [MQTT-4.4.0-1].
    client.on('close', () => {
      this.acks.reset();
      this.pingOutstanding = false;
      this.intake.reset();
    });
    const observer = this.options.observer;
    if (observer) {
      client.on('connect', () => observer.connected());
      client.on('close', () => observer.disconnected());
    }
    // connect() reports the first attempt's errors itself.
    watchConnection(client, this.logger, this.description, () => this.state === 'connecting');
  }

  async subscribe(requests: readonly SubscriptionRequest[]): Promise<void> {
    this.assertOpen(`subscribe to ${requests.map((r) => r.topic).join(', ')}`);
    const clamped = requests.map((r) => ({ ...r, qos: clampQoS(r.qos, this.#capabilities) }));
    await Promise.all(this.subscribeCalls(clamped).map((call) => this.subscribeOnce(call)));
    for (const request of clamped) this.subscriptions.set(request.topic, request);
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
    assertPublishAccepted(topic, payload, options, this.#capabilities, this.description);
    const qos = this.clampedQoS(options.qos ?? 0);
    const publishOptions: IClientPublishOptions = { qos, retain: options.retain ?? false };
    if (this.protocolVersion === 5 && options.properties)
      publishOptions.properties = { ...options.properties };
    await this.unacked.track((settle) => this.client.publish(topic, payload, publishOptions, settle));
  }

  /**
   * A QoS above the broker's maximum would make it disconnect us, and mqtt.js would replay the publish on
   * every reconnect (NATS closes the connection on QoS 2): send it at the maximum, say so once.
   */
  private clampedQoS(requested: QoS): QoS {
    const qos = clampQoS(requested, this.#capabilities);
    if (qos !== requested && !this.clampWarned) {
      this.clampWarned = true;
      this.logger.warn(
        { broker: this.description, requested, sent: qos },
        `the broker accepts QoS ${qos} at most: QoS ${requested} publishes are sent at QoS ${qos}`,
      );
    }
    return qos;
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
  private watchPings(client: MqttClient): void {
    client.on('packetsend', (packet) => {
      if (packet.cmd === 'pingreq') this.pingOutstanding = true;
    });
    client.on('packetreceive', (packet) => {
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
      // max_inflight_messages of them the broker stops delivering to this client.
      this.logger.error({ err: error, topic: message.topic }, 'message handler failed; acknowledging anyway');
    }
    if (outcome !== 'withhold') acknowledge();
  }

  /** After a reconnect without a session (clean, expired, or broker restarted without persistence). */
  private async restoreSubscriptions(): Promise<void> {
    const requests = [...this.subscriptions.values()];
    if (requests.length === 0) return;
    try {
      await Promise.all(this.subscribeCalls(requests).map((call) => this.subscribeOnce(call)));
      this.logger.info(
        { broker: this.description, subscriptions: requests.length },
        'subscriptions restored',
      );
    } catch (error) {
      this.logger.error({ err: error, broker: this.description }, 'restoring subscriptions failed');
    }
  }

  private subscribeCalls(requests: readonly SubscriptionRequest[]): SubscribeCall[] {
    const { subscriptionIdentifiers } = this.#capabilities;
    return toSubscribeCalls(requests, subscriptionIdentifiers, this.options.maxFiltersPerSubscribe);
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

  /** Publishes made while offline wait in memory: bounded (MQTT_OFFLINE_QUEUE_LIMIT), never an unbounded queue. */
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
