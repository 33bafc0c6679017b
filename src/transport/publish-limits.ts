/**
 * What a publish must respect of the broker's CONNACK: its Maximum QoS, its Maximum Packet Size and
 * Retain Available (MQTT 5.0 section 3.2.2.3). Breaking any of them makes the broker disconnect, and
 * mqtt.js would replay the offending QoS 1/2 publish on every reconnect (an endless loop on NATS).
 * @module
 */
import { RouteMQError } from '../errors';
import type { PublishOptions, QoS, TransportCapabilities } from './transport';

/**
 * The QoS a publish or subscription is sent with: the one asked for, at most the broker's maximum.
 *
 * @example
 * ```ts
 * clampQoS(2, { maximumQoS: 1 }); // 1
 * ```
 */
export function clampQoS(requested: QoS, capabilities: Pick<TransportCapabilities, 'maximumQoS'>): QoS {
  const maximum = capabilities.maximumQoS ?? 2;
  return requested > maximum ? maximum : requested;
}

/**
 * Throws ERR_PUBLISH_UNSUPPORTED when the broker said it cannot take this publish: a packet larger than
 * its Maximum Packet Size [MQTT-3.2.2-15], or a retained message where Retain Available is 0
 * [MQTT-3.2.2-14].
 *
 * @example
 * ```ts
 * assertPublishAccepted('big/topic', payload, { qos: 1 }, transport.capabilities, 'mqtt://broker:1883');
 * ```
 */
export function assertPublishAccepted(
  topic: string,
  payload: Buffer,
  options: PublishOptions,
  capabilities: TransportCapabilities,
  target: string,
): void {
  if (options.retain && capabilities.retainAvailable === false) {
    throw new RouteMQError(
      'ERR_PUBLISH_UNSUPPORTED',
      `Cannot publish a retained message to ${JSON.stringify(topic)}: the broker at ${target} has no retained messages (CONNACK Retain Available = 0). Publish without retain.`,
    );
  }
  const limit = capabilities.maximumPacketSize;
  if (limit === undefined) return;
  const size = publishPacketSize(topic, payload, options, capabilities.properties);
  if (size <= limit) return;
  throw new RouteMQError(
    'ERR_PUBLISH_UNSUPPORTED',
    `Cannot publish to ${JSON.stringify(topic)}: the packet would be ${size} bytes and the broker at ${target} accepts at most ${limit} (CONNACK Maximum Packet Size). Send a smaller payload, or split it.`,
  );
}

/**
 * The size in bytes of the PUBLISH packet mqtt.js will write (MQTT 5.0 section 3.3): fixed header,
 * topic, packet identifier for QoS 1/2, properties on MQTT 5, payload.
 *
 * @example
 * ```ts
 * publishPacketSize('a', Buffer.alloc(10), { qos: 1 }, false); // 2 + (2 + 1 + 2 + 10) = 17
 * ```
 */
export function publishPacketSize(
  topic: string,
  payload: Buffer,
  options: PublishOptions,
  withProperties: boolean,
): number {
  let remaining = 2 + Buffer.byteLength(topic) + ((options.qos ?? 0) > 0 ? 2 : 0) + payload.length;
  if (withProperties) {
    const properties = propertiesSize(options.properties ?? {});
    remaining += varIntSize(properties) + properties;
  }
  return 1 + varIntSize(remaining) + remaining;
}

function propertiesSize(properties: NonNullable<PublishOptions['properties']>): number {
  const text = (value: string | undefined): number =>
    value === undefined ? 0 : 3 + Buffer.byteLength(value);
  let size = text(properties.contentType) + text(properties.responseTopic);
  if (properties.payloadFormatIndicator !== undefined) size += 2;
  if (properties.messageExpiryInterval !== undefined) size += 5;
  if (properties.correlationData !== undefined) size += 3 + properties.correlationData.length;
  for (const [key, value] of Object.entries(properties.userProperties ?? {})) {
    for (const one of Array.isArray(value) ? value : [value]) {
      size += 5 + Buffer.byteLength(key) + Buffer.byteLength(one);
    }
  }
  return size;
}

/** Bytes of an MQTT Variable Byte Integer (MQTT 5.0 section 1.5.5). */
function varIntSize(value: number): number {
  if (value < 128) return 1;
  if (value < 16_384) return 2;
  if (value < 2_097_152) return 3;
  return 4;
}
