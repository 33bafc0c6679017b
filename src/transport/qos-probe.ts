/**
 * Learning an MQTT 3.1.1 broker's highest QoS. Its CONNACK has no Maximum QoS, but its SUBACK grants
 * at most what it supports (MQTT 3.1.1 section 3.9.3: the granted QoS may be lower than requested):
 * NATS and RabbitMQ grant 1 for a QoS 2 request, and a QoS 2 PUBLISH makes NATS close the connection.
 * @module
 */
import type { MqttClient } from 'mqtt';
import type { TransportLogger } from './mqtt-transport-options';
import type { QoS } from './transport';

/**
 * Subscribes a private probe topic at QoS 2, reads the granted QoS, unsubscribes. Resolves undefined
 * when the broker refused the probe (ACL) or did not answer; the caller then keeps QoS 2 and
 * MQTT_MAX_QOS is the way to cap it.
 *
 * @example
 * ```ts
 * const maximum = await probeMaximumQoS(client, 'worker-1', logger); // 1 on NATS
 * ```
 */
export async function probeMaximumQoS(
  client: MqttClient,
  clientId: string,
  logger: TransportLogger,
): Promise<QoS | undefined> {
  // A client id may hold characters a topic level cannot (MQTT 3.1.1 allows any UTF-8 in it).
  const level = [...clientId].map((c) => ('+#/'.includes(c) || c === '\u0000' ? '_' : c)).join('');
  const topic = `routemq/qos-probe/${level}`;
  try {
    const granted = await client.subscribeAsync(topic, { qos: 2 });
    await client.unsubscribeAsync(topic);
    const qos = granted[0]?.qos;
    if (qos === 0 || qos === 1 || qos === 2) return qos;
    logger.debug({ topic, granted: qos }, 'QoS probe refused; keeping QoS 2 (set MQTT_MAX_QOS to cap it)');
  } catch (error) {
    logger.debug({ err: error, topic }, 'QoS probe failed; keeping QoS 2 (set MQTT_MAX_QOS to cap it)');
  }
  return undefined;
}
