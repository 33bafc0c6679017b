/**
 * A maximum packet size for the embedded broker, which has none of its own (aedes issues 831 and
 * 1086): a client could declare a 250 MB packet and the parser would buffer it. The guard reads only
 * the fixed headers as bytes flow by [MQTT-2.2] and closes the connection as soon as a declared
 * remaining length is over the limit, before the body is buffered.
 * @module
 */
import { Duplex, Transform, type TransformCallback } from 'node:stream';

/** Why a connection was closed by the guard. */
export class PacketTooLargeError extends Error {
  readonly code = 'ERR_PACKET_TOO_LARGE';
  constructor(
    readonly declaredBytes: number,
    readonly limitBytes: number,
  ) {
    super(`packet of ${declaredBytes} bytes declared, over the ${limitBytes}-byte limit`);
  }
}

/**
 * Follows MQTT packet boundaries through a byte stream: fixed header byte, the variable-length
 * remaining length (1 to 4 bytes, 7 bits each [MQTT-2.2.3]), then the body, which it skips.
 *
 * @example
 * ```ts
 * const scanner = new PacketFrameScanner(1024);
 * scanner.scan(Buffer.from([0x30, 0xff, 0xff, 0x7f])); // PacketTooLargeError (2097151 bytes declared)
 * ```
 */
export class PacketFrameScanner {
  #bodyLeft = 0;
  #inLength = false;
  #length = 0;
  #lengthBytes = 0;

  constructor(private readonly maxRemainingLength: number) {}

  /** Advances over one chunk; returns the error that must close the connection, if any. */
  scan(chunk: Uint8Array): Error | undefined {
    let i = 0;
    while (i < chunk.length) {
      if (this.#bodyLeft > 0) {
        const skip = Math.min(this.#bodyLeft, chunk.length - i);
        this.#bodyLeft -= skip;
        i += skip;
      } else if (!this.#inLength) {
        this.#inLength = true; // the packet type byte
        this.#length = 0;
        this.#lengthBytes = 0;
        i++;
      } else {
        const problem = this.#lengthByte(chunk[i++]);
        if (problem) return problem;
      }
    }
    return undefined;
  }

  #lengthByte(byte: number): Error | undefined {
    this.#length += (byte & 0x7f) * 128 ** this.#lengthBytes;
    this.#lengthBytes++;
    if (this.#length > this.maxRemainingLength) {
      return new PacketTooLargeError(this.#length, this.maxRemainingLength);
    }
    if (byte & 0x80) {
      // [MQTT-2.2.3]: at most four length bytes.
      return this.#lengthBytes < 4 ? undefined : new Error('malformed remaining length (over 4 bytes)');
    }
    this.#inLength = false;
    this.#bodyLeft = this.#length;
    return undefined;
  }
}

/**
 * Wraps a client connection (TCP, TLS or WebSocket stream) so that what aedes reads passes the
 * scanner first; a violation destroys the connection and calls `onRefused`.
 *
 * @example
 * ```ts
 * server.on('connection', (socket) => aedes.handle(guardPacketSize(socket, 300_000, () => {})));
 * ```
 */
export function guardPacketSize(
  connection: Duplex,
  maxRemainingLength: number,
  onRefused: (error: Error) => void,
): Duplex {
  const scanner = new PacketFrameScanner(maxRemainingLength);
  const inbound = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      const problem = scanner.scan(chunk);
      if (!problem) return callback(null, chunk);
      onRefused(problem);
      connection.destroy();
      callback(problem);
    },
  });
  connection.pipe(inbound);
  connection.on('error', (error) => inbound.destroy(error));
  return Duplex.from({ readable: inbound, writable: connection });
}
