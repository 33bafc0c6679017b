import type { MqttClient } from 'mqtt';
import type { TransportLogger } from './mqtt-transport-options';
import { ReconnectBackoff } from './reconnect-backoff';

/**
 * Reconnects a lost mqtt.js client with exponential backoff and jitter. mqtt.js' own reconnect is a
 * fixed `reconnectPeriod` interval (every worker retrying in lock-step after a broker restart); the
 * client is created with `reconnectPeriod: 0` and this class calls `reconnect()` itself. mqtt.js then
 * replays unacknowledged publishes and resubscribes when the broker did not keep the session.
 *
 * @example
 * ```ts
 * const reconnector = new Reconnector(client, new ReconnectBackoff(500, 30_000), logger, 'mqtt://b:1883');
 * reconnector.arm();    // after the first CONNACK
 * reconnector.disarm(); // on close()
 * ```
 */
export class Reconnector {
  #armed = false;
  #timer: NodeJS.Timeout | undefined;
  #lostAt: number | undefined;

  constructor(
    private readonly client: MqttClient,
    private readonly backoff: ReconnectBackoff,
    private readonly logger: TransportLogger,
    private readonly broker: string,
  ) {
    client.on('close', () => this.#schedule());
    client.on('connect', () => this.#connected());
  }

  /** From now on, a lost connection is re-established. */
  arm(): void {
    this.#armed = true;
  }

  /** Stops reconnecting (close() or a failed first connection). */
  disarm(): void {
    this.#armed = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(): void {
    if (!this.#armed || this.#timer || this.client.connected) return;
    const delayMs = this.backoff.next();
    const firstLoss = this.#lostAt === undefined;
    this.#lostAt ??= Date.now();
    const level = firstLoss ? 'warn' : 'debug';
    this.logger[level]({ broker: this.broker, delayMs }, 'MQTT connection lost; reconnecting');
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      // Keep the stores: a bare reconnect() swaps in empty ones, and the QoS 1/2 publishes still
      // waiting for their PUBACK would never be sent again (their promises would hang).
      const { incomingStore, outgoingStore } = this.client;
      if (this.#armed && !this.client.connected) this.client.reconnect({ incomingStore, outgoingStore });
    }, delayMs);
  }

  #connected(): void {
    if (this.#lostAt !== undefined) {
      this.logger.info(
        { broker: this.broker, downMs: Date.now() - this.#lostAt },
        'MQTT connection restored',
      );
    }
    this.#lostAt = undefined;
    this.backoff.reset();
  }
}
