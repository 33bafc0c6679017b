/**
 * The connection lifecycle of an mqtt.js client: the first CONNACK, socket tuning and lifecycle logs.
 * @module
 */
import type { IConnackPacket, MqttClient } from 'mqtt';
import { Socket } from 'node:net';
import type { TransportLogger } from './mqtt-transport-options';
import { ClosedBeforeConnack } from './protocol-negotiation';

/**
 * Connects and resolves with the first CONNACK; rejects with the cause of the first failure (socket
 * error, refused CONNACK, `connack timeout`, or {@link ClosedBeforeConnack}). `onConnack` runs
 * synchronously on the CONNACK, before any PUBLISH that follows it is handled.
 *
 * @example
 * ```ts
 * await firstConnack(client, () => (client.options.reconnectPeriod = 1000));
 * ```
 */
export function firstConnack(client: MqttClient, onConnack: () => void): Promise<IConnackPacket> {
  return new Promise<IConnackPacket>((resolve, reject) => {
    const off = (): void => {
      client.off('connect', onConnect).off('error', onError).off('close', onClose);
    };
    const onConnect = (connack: IConnackPacket): void => {
      off();
      onConnack();
      resolve(connack);
    };
    const onError = (error: Error): void => {
      off();
      reject(error);
    };
    const onClose = (): void => onError(new ClosedBeforeConnack());
    client.on('connect', onConnect).on('error', onError).on('close', onClose);
    client.connect();
  });
}

/**
 * Sets TCP_NODELAY on every connection and logs connect, reconnect, offline and errors (not messages).
 * `quiet()` tells when errors are reported elsewhere (during connect()).
 *
 * @example
 * ```ts
 * watchConnection(client, logger, 'mqtt://broker:1883', () => state === 'connecting');
 * ```
 */
export function watchConnection(
  client: MqttClient,
  logger: TransportLogger,
  broker: string,
  quiet: () => boolean,
): void {
  const target = { broker, clientId: client.options.clientId };
  let connections = 0;
  client.on('connect', (connack) => {
    // Without TCP_NODELAY, Nagle delays small packets: QoS 0 p50 latency was 10-15 ms (docs/benchmarks.md).
    if (client.stream instanceof Socket) client.stream.setNoDelay(true);
    connections += 1;
    const event = connections === 1 ? 'connected to the MQTT broker' : 'reconnected to the MQTT broker';
    logger.info({ ...target, sessionPresent: connack.sessionPresent }, event);
  });
  client.on('offline', () => logger.info(target, 'MQTT connection lost; reconnecting'));
  client.on('reconnect', () => logger.debug(target, 'reconnecting to the MQTT broker'));
  // An 'error' without a listener would throw. While reconnecting the same error repeats every second.
  client.on('error', (error) => {
    if (quiet()) return;
    const level = client.reconnecting ? 'debug' : 'warn';
    logger[level]({ ...target, err: error }, 'MQTT client error');
  });
}
