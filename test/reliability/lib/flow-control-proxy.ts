/**
 * A TCP proxy in front of the broker that enforces a receive maximum on QoS 1/2 deliveries, the way
 * MQTT 5 requires of a broker [MQTT-4.9.0]: at most `window` PUBLISH packets unacknowledged by the
 * client; the next ones wait here until a PUBACK/PUBCOMP comes back.
 *
 * Why: Mosquitto 2.0.11 overshoots the client's receive maximum (and max_inflight_messages) once the
 * first PUBACKs arrive (measured: window 10, 10 PUBACKs, 100 more deliveries; mosquitto#2301, fixed
 * in 2.1 "Enforce receive maximum on MQTT v5"). Scenario 3 uses this proxy to measure what a broker
 * that enforces the window does to the healthy route while another route retries.
 *
 * It only frames packets (fixed header and remaining length); bytes are forwarded unchanged.
 * @module
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

const PUBLISH = 3;
const PUBACK = 4;
const PUBCOMP = 7;

export interface FlowControlProxy {
  readonly url: string;
  close(): Promise<void>;
}

/** Listens on a free loopback port and forwards to `brokerPort` with the delivery window enforced. */
export async function startFlowControlProxy(brokerPort: number, window: number): Promise<FlowControlProxy> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const broker = connect(brokerPort, '127.0.0.1');
    sockets.add(client).add(broker);
    bridge(client, broker, window);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `mqtt://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function bridge(client: Socket, broker: Socket, window: number): void {
  let inFlight = 0;
  const held: Buffer[] = [];
  const release = (): void => {
    while (inFlight < window && held.length > 0) {
      inFlight++;
      client.write(held.shift() as Buffer);
    }
  };
  const fromBroker = framer((packet) => {
    const type = packet[0] >> 4;
    const qos = (packet[0] >> 1) & 3;
    if (type !== PUBLISH || qos === 0) client.write(packet);
    else {
      held.push(packet);
      release();
    }
  });
  const fromClient = framer((packet) => {
    const type = packet[0] >> 4;
    broker.write(packet);
    if (type === PUBACK || type === PUBCOMP) {
      inFlight = Math.max(0, inFlight - 1);
      release();
    }
  });
  broker.on('data', fromBroker);
  client.on('data', fromClient);
  const end = (): void => {
    client.destroy();
    broker.destroy();
  };
  for (const socket of [client, broker]) socket.on('close', end).on('error', end);
}

/** Splits a byte stream into MQTT packets (fixed header, variable-length remaining length). */
function framer(onPacket: (packet: Buffer) => void): (chunk: Buffer) => void {
  let buffer: Buffer = Buffer.alloc(0);
  return (chunk) => {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    for (;;) {
      const header = remainingLength(buffer);
      if (!header || buffer.length < header.offset + header.length) return;
      const end = header.offset + header.length;
      onPacket(buffer.subarray(0, end));
      buffer = buffer.subarray(end);
    }
  };
}

/** The remaining length and where the variable header starts, or undefined when incomplete. */
function remainingLength(buffer: Buffer): { length: number; offset: number } | undefined {
  let length = 0;
  for (let i = 1; i <= 4 && i < buffer.length; i++) {
    length += (buffer[i] & 0x7f) * 128 ** (i - 1);
    if ((buffer[i] & 0x80) === 0) return { length, offset: i + 1 };
  }
  return undefined;
}
