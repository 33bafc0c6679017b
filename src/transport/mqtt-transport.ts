/**
 * The mqtt.js adapter: the {@link Transport} the app uses against a real broker.
 *
 * Its one non-obvious duty is at-least-once processing: the PUBACK/PUBCOMP of a delivery goes out only
 * after the {@link MessageHandler} settled (DESIGN section 4 and 5).
 * @module
 */
import { connect, type IClientPublishOptions, type MqttClient } from 'mqtt';
import { Socket } from 'node:net';
import { RouteMQError } from '../errors';
import {
  brokerUnreachable,
  redactBrokerUrl,
  subscribeFailure,
  toInboundMessage,
  toSubscribeCalls,
  type SubscribeCall,
} from './mqtt-mapping';
import {
  silentLogger,
  toClientOptions,
  type MqttTransportOptions,
  type TransportLogger,
} from './mqtt-transport-options';
import { PendingPublishes } from './pending-publishes';
import { assertPublishTopic } from './publish-topic';
import type {
  MessageHandler,
  PublishOptions,
  SubscriptionRequest,
  Transport,
  TransportCapabilities,
} from './transport';

export type { MqttTransportOptions, TransportLogger } from './mqtt-transport-options';

type State = 'idle' | 'connecting' | 'connected' | 'closed';

/** mqtt.js' default: a fixed period, no backoff (research/reliability.md section 1). */
const RECONNECT_PERIOD_MS = 1000;

/**
 * A {@link Transport} over mqtt.js.
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
  private readonly unacked = new PendingPublishes();
  private state: State = 'idle';
  private handler: MessageHandler | undefined;
  private closing: Promise<void> | undefined;
  private connections = 0;

  constructor(
    private readonly options: MqttTransportOptions,
    private readonly logger: TransportLogger = silentLogger,
  ) {
    this.protocolVersion = options.protocolVersion ?? 5;
    this.description = redactBrokerUrl(options.url);
    const v5 = this.protocolVersion === 5;
    this.capabilities = {
      sharedSubscriptions: v5 || (options.sharedSubscriptions ?? true),
      subscriptionIdentifiers: v5,
      properties: v5,
    };
    this.client = connect(options.url, toClientOptions(options, this.protocolVersion));
    // Installed before connecting: mqtt.js sends the PUBACK (QoS 1) or PUBCOMP (QoS 2) when this
    // callback is called, and with clean:false the broker pushes queued messages right after CONNACK.
    this.client.handleMessage = (packet, done) => void this.deliver(toInboundMessage(packet), () => done());
    this.watchLifecycle();
    if (options.clean === false && this.protocolVersion === 5 && !options.sessionExpiryInterval) {
      // MQTT 5 ends the session at disconnect unless Session Expiry Interval > 0 (mosquitto#1728).
      this.logger.warn(
        { broker: this.description },
        'clean:false without sessionExpiryInterval: the session ends at disconnect',
      );
    }
  }

  async connect(handler: MessageHandler): Promise<void> {
    if (this.state !== 'idle') {
      const problem = `connect() runs once per transport; the one to ${this.description} is ${this.state}`;
      throw new RouteMQError('ERR_APP_STATE', `${problem}. Create a new MqttTransport to connect again.`);
    }
    this.handler = handler;
    this.state = 'connecting';
    try {
      await this.firstConnack();
      this.state = 'connected';
    } catch (error) {
      this.state = 'closed';
      this.stopReconnecting();
      this.client.end(true);
      throw brokerUnreachable(this.description, error);
    }
  }

  async subscribe(requests: readonly SubscriptionRequest[]): Promise<void> {
    this.assertConnected(`subscribe to ${requests.map((r) => r.topic).join(', ')}`);
    const calls = toSubscribeCalls(requests, this.protocolVersion === 5);
    await Promise.all(calls.map((call) => this.subscribeOnce(call)));
  }

  async unsubscribe(topics: readonly string[]): Promise<void> {
    this.assertConnected(`unsubscribe from ${topics.join(', ')}`);
    await this.client.unsubscribeAsync([...topics]);
  }

  async publish(topic: string, payload: Buffer, options: PublishOptions = {}): Promise<void> {
    assertPublishTopic(topic);
    this.assertConnected(`publish to ${JSON.stringify(topic)}`);
    const publishOptions: IClientPublishOptions = { qos: options.qos ?? 0, retain: options.retain ?? false };
    if (this.protocolVersion === 5 && options.properties)
      publishOptions.properties = { ...options.properties };
    await this.unacked.track((settle) => this.client.publish(topic, payload, publishOptions, settle));
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async deliver(message: Parameters<MessageHandler>[0], acknowledge: () => void): Promise<void> {
    try {
      if (this.handler) await this.handler(message);
    } catch (error) {
      // Never pass the error to mqtt.js: cb(err) sends no PUBACK, the broker does not resend on a live
      // connection, and after max_inflight_messages such messages delivery stops (DESIGN section 5).
      this.logger.error({ err: error, topic: message.topic }, 'message handler failed; acknowledging anyway');
    } finally {
      acknowledge();
    }
  }

  private firstConnack(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const settle = (error?: Error): void => {
        this.client.off('connect', onConnect).off('error', onError).off('close', onClose);
        if (error) reject(error);
        else resolve();
      };
      const onConnect = (): void => {
        this.client.options.reconnectPeriod = RECONNECT_PERIOD_MS;
        settle();
      };
      const onError = (error: Error): void => settle(error);
      const onClose = (): void =>
        settle(new Error('the connection closed before the broker answered CONNECT'));
      this.client.on('connect', onConnect).on('error', onError).on('close', onClose);
      this.client.connect();
    });
  }

  private watchLifecycle(): void {
    const target = { broker: this.description, clientId: this.client.options.clientId };
    this.client.on('connect', (connack) => {
      // Without TCP_NODELAY, Nagle delays small packets: QoS 0 p50 latency was 10-15 ms (DESIGN 5).
      if (this.client.stream instanceof Socket) this.client.stream.setNoDelay(true);
      this.connections += 1;
      const event =
        this.connections === 1 ? 'connected to the MQTT broker' : 'reconnected to the MQTT broker';
      this.logger.info({ ...target, sessionPresent: connack.sessionPresent }, event);
    });
    this.client.on('offline', () => this.logger.info(target, 'MQTT connection lost; reconnecting'));
    this.client.on('reconnect', () => this.logger.debug(target, 'reconnecting to the MQTT broker'));
    // An 'error' without a listener would throw; while reconnecting the same error repeats every second.
    // connect() reports errors of the first attempt itself.
    this.client.on('error', (error) => {
      if (this.state === 'connecting') return;
      const level = this.client.reconnecting ? 'debug' : 'warn';
      this.logger[level]({ ...target, err: error }, 'MQTT client error');
    });
  }

  private async subscribeOnce({ requests, filters, options }: SubscribeCall): Promise<void> {
    try {
      await this.client.subscribeAsync(filters, options);
    } catch (error) {
      throw subscribeFailure(requests, error, this.description);
    }
  }

  /**
   * With manualConnect, mqtt.js' end() resets `disconnecting` as soon as it finished, and a socket
   * 'close' arriving after that (always the case when end() runs while not connected) schedules a
   * reconnect: the client would keep dialing the broker after close(). reconnectPeriod 0 disarms it.
   */
  private stopReconnecting(): void {
    this.client.options.reconnectPeriod = 0;
  }

  private assertConnected(action: string): void {
    if (this.state === 'connected') return;
    const reason = this.state === 'closed' ? 'it is closed' : 'connect() has not completed';
    throw new RouteMQError(
      'ERR_NOT_CONNECTED',
      `Cannot ${action} on the transport to ${this.description}: ${reason}.`,
    );
  }

  private async shutdown(): Promise<void> {
    const previous = this.state;
    this.state = 'closed';
    // idle: no socket was ever opened; closed: a failed connect() already stopped the client.
    if (previous === 'idle' || previous === 'closed') return;
    if (previous === 'connected') await this.unacked.drain(this.options.closeTimeoutMs ?? 10_000);
    // A graceful end() waits for mqtt.js' own outgoing list, which never empties while offline; force then.
    const force = !this.client.connected || this.unacked.size > 0;
    this.unacked.abandon(
      () =>
        new RouteMQError(
          'ERR_NOT_CONNECTED',
          `The transport to ${this.description} closed before the broker acknowledged this publish.`,
        ),
    );
    this.stopReconnecting();
    await this.client.endAsync(force);
    this.logger.info({ broker: this.description, forced: force }, 'MQTT connection closed');
  }
}
