/**
 * The broker's end of an in-memory connection: a Duplex handed to a subject's own mqtt.js client in
 * place of its TCP socket. It answers CONNECT and SUBSCRIBE like a broker, then plays recorded PUBLISH
 * chunks (publish-stream.ts) when the subject is ready for them. While it plays, what the client writes (its
 * PUBACKs) is only counted and kept, not parsed, so that no broker work lands in the subject's count.
 * @module
 */
import net from 'node:net';
import { Duplex } from 'node:stream';
import { generate, parser, type Packet } from 'mqtt-packet';

/** The host name that reaches a {@link StreamBroker} instead of the network. */
export const STREAM_HOST = 'instructions.invalid';

/** Bytes of one PUBACK with reason code 0 and no properties, in MQTT 3.1.1 and 5 alike. */
export const PUBACK_BYTES = 4;

export class StreamBroker extends Duplex {
  /** Topic filter to subscription identifier (undefined when none was given). */
  readonly subscriptions = new Map<string, number | undefined>();
  protocolVersion: 4 | 5 = 4;
  #parser = parser();
  #playing = false;
  #written = 0;
  #kept: Buffer[] = [];
  #onWritten: (() => void) | undefined;

  constructor() {
    super();
    this.#parser.on('packet', (packet: Packet) => this.#answer(packet));
  }

  /** Hands one chunk to the client, as one socket read. */
  deliver(chunk: Buffer): void {
    this.#playing = true;
    this.push(chunk);
  }

  /** Resolves once the client wrote at least `bytes` bytes since the last call (its PUBACKs). */
  whenWritten(bytes: number): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.#written < bytes) return;
        this.#onWritten = undefined;
        resolve();
      };
      this.#onWritten = check;
      check();
    });
  }

  /** What the client wrote while playing, since the last call; the count starts again at zero. */
  takeWritten(): Buffer {
    const all = Buffer.concat(this.#kept);
    this.#kept = [];
    this.#written = 0;
    return all;
  }

  override _read(): void {
    // Chunks are pushed by deliver(), when the subject is ready for them.
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    if (this.#playing) {
      this.#written += chunk.length;
      this.#kept.push(chunk);
      this.#onWritten?.();
    } else {
      this.#parser.parse(chunk);
    }
    done();
  }

  #answer(packet: Packet): void {
    if (packet.cmd === 'connect') {
      this.protocolVersion = packet.protocolVersion === 5 ? 5 : 4;
      this.#parser = parser({ protocolVersion: this.protocolVersion });
      this.#parser.on('packet', (next: Packet) => this.#answer(next));
      this.#send({ cmd: 'connack', returnCode: 0, reasonCode: 0, sessionPresent: false });
    } else if (packet.cmd === 'subscribe') {
      const id = packet.properties?.subscriptionIdentifier;
      for (const sub of packet.subscriptions)
        this.subscriptions.set(sub.topic, Array.isArray(id) ? id[0] : id);
      const granted = packet.subscriptions.map((sub) => sub.qos);
      this.#send({ cmd: 'suback', messageId: packet.messageId, granted });
    } else if (packet.cmd === 'pingreq') {
      this.#send({ cmd: 'pingresp' });
    }
  }

  #send(packet: Packet): void {
    this.push(generate(packet, { protocolVersion: this.protocolVersion }));
  }
}

/** The PUBACK packets in what a client wrote (parsed after a measured run, never during one). */
export function countPubacks(written: Buffer, protocolVersion: 4 | 5): number {
  let acks = 0;
  const reader = parser({ protocolVersion });
  reader.on('packet', (packet: Packet) => {
    if (packet.cmd === 'puback') acks++;
  });
  reader.parse(written);
  return acks;
}

/**
 * Routes mqtt.js' TCP connections to {@link STREAM_HOST} into new {@link StreamBroker}s (mqtt.js opens
 * `mqtt://` connections with `net.createConnection`), and returns every broker end made so far.
 */
export function hookConnections(): readonly StreamBroker[] {
  const made: StreamBroker[] = [];
  const original = net.createConnection.bind(net);
  const hooked = (...args: unknown[]): unknown => {
    const options = args[0] as { host?: string } | undefined;
    if (options?.host !== STREAM_HOST) return (original as (...a: unknown[]) => unknown)(...args);
    const broker = new StreamBroker();
    made.push(broker);
    return broker;
  };
  (net as { createConnection: unknown }).createConnection = hooked;
  return made;
}
