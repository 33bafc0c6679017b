/**
 * The recorded input of the instruction benchmark: the PUBLISH packets a broker would send one
 * subscriber, encoded with mqtt-packet (the encoder mqtt.js itself uses), then cut into fixed-size
 * chunks as socket reads would hand them over. Every subject and every run gets the same bytes in the
 * same chunks, so mqtt.js' decoding and the batching it causes are the same for all of them. A chunk
 * is handed over once the messages of the previous ones were handled: a network that keeps up with
 * the subscriber, and the same number of messages in flight for every subject.
 * @module
 */
import { generate } from 'mqtt-packet';

/** Bytes per chunk: one socket read. Loopback reads hand over 16-64 KiB; the smaller end is kept. */
export const CHUNK_BYTES = 16 * 1024;

/** The topic prefix of every subject: `bench/i/dev-N/data`. */
export const TOPIC_PREFIX = 'bench/i';

/** Devices the messages cycle through (the route's `{device_id}` parameter). */
const DEVICES = 64;

export interface StreamShape {
  readonly qos: 0 | 1;
  readonly protocolVersion: 4 | 5;
  /** The subscription identifier the subscriber asked for; the broker echoes it (MQTT 5 3.3.2.3.8). */
  readonly subscriptionIdentifier: number | undefined;
}

/** The ~110-byte JSON reading of the end-to-end benchmark, with a fixed time so that runs repeat. */
export function readingPayload(seq: number): Buffer {
  const device = `dev-${seq % DEVICES}`;
  return Buffer.from(
    `{"device_id":"${device}","seq":${seq},"t":${1_000_000 + seq},"temperature":21.5,"humidity":40,"status":"ok"}`,
  );
}

/** The topic of message `seq`. */
export function readingTopic(seq: number): string {
  return `${TOPIC_PREFIX}/dev-${seq % DEVICES}/data`;
}

/** Packet identifiers cycle through 1..65535 as a broker's do. */
export function packetId(seq: number): number {
  return (seq % 65535) + 1;
}

/** One PUBLISH packet, encoded. */
export function encodePublish(seq: number, shape: StreamShape): Buffer {
  const id = shape.subscriptionIdentifier;
  return generate(
    {
      cmd: 'publish',
      topic: readingTopic(seq),
      payload: readingPayload(seq),
      qos: shape.qos,
      retain: false,
      dup: false,
      messageId: shape.qos > 0 ? packetId(seq) : undefined,
      properties:
        shape.protocolVersion === 5 && id !== undefined ? { subscriptionIdentifier: id } : undefined,
    },
    { protocolVersion: shape.protocolVersion },
  );
}

/** A recorded stream: its chunks, and how many whole messages end within chunks 0..i. */
export interface RecordedStream {
  readonly chunks: readonly Buffer[];
  readonly completeAfter: readonly number[];
}

/**
 * Messages `first .. first + count - 1`, concatenated and cut into {@link CHUNK_BYTES} chunks (the last
 * one shorter). Chunk borders fall inside packets, as they do on a socket.
 */
export function recordStream(first: number, count: number, shape: StreamShape): RecordedStream {
  const packets: Buffer[] = [];
  const ends: number[] = [];
  let length = 0;
  for (let seq = first; seq < first + count; seq++) {
    const packet = encodePublish(seq, shape);
    packets.push(packet);
    length += packet.length;
    ends.push(length);
  }
  const all = Buffer.concat(packets);
  const chunks: Buffer[] = [];
  const completeAfter: number[] = [];
  let complete = 0;
  for (let at = 0; at < all.length; at += CHUNK_BYTES) {
    const end = Math.min(all.length, at + CHUNK_BYTES);
    chunks.push(all.subarray(at, end));
    while (complete < ends.length && ends[complete] <= end) complete++;
    completeAfter.push(complete);
  }
  return { chunks, completeAfter };
}
