/**
 * Takes the sending of PUBACK/PUBCOMP away from mqtt.js' packet pump, so that acknowledgements wait for
 * the handler while the connection keeps reading packets.
 * @module
 */
import type { MqttClient, Packet } from 'mqtt';
import type { AckSequencer } from './ack-sequencer';

type SendCallback = (error?: Error) => void;

/**
 * mqtt.js' private `_sendPacket(packet, cb, ...)`, present since mqtt.js 1.x and still in 5.x. It is the
 * only way to hold an acknowledgement: mqtt.js sends the PUBACK (QoS 1) or PUBCOMP (QoS 2) from inside
 * the handleMessage callback, and that same callback is what lets its serial packet pump go on.
 */
interface PacketSender {
  _sendPacket(packet: Packet, cb?: SendCallback, ...rest: unknown[]): void;
}

/**
 * Wraps the client's packet sending: a PUBACK or PUBCOMP for a delivery admitted in `sequencer` is held
 * there (the pump is told it was sent, so it reads on) and goes out once the delivery was processed.
 * Anything else is sent as before.
 *
 * @example
 * ```ts
 * const acks = new AckSequencer();
 * interceptAcks(client, acks);
 * client.handleMessage = (packet, done) => { const slot = acks.admit(packet.messageId!); queue(packet, slot); done(); };
 * ```
 */
export function interceptAcks(client: MqttClient, sequencer: AckSequencer): void {
  const sender = client as unknown as PacketSender;
  const send = sender._sendPacket.bind(client);
  sender._sendPacket = (packet, cb, ...rest) => {
    const messageId = isAck(packet) ? packet.messageId : undefined;
    const stream = client.stream;
    // An ack belongs to its connection: once that one is gone the packet id means nothing (or another
    // message) on the next, and the broker redelivers the message instead [MQTT-4.4.0-1].
    const release = (): void => {
      if (client.connected && client.stream === stream) send(packet, undefined, ...rest);
    };
    if (messageId !== undefined && sequencer.capture(messageId, release)) {
      cb?.();
      return;
    }
    send(packet, cb, ...rest);
  };
}

function isAck(packet: Packet): packet is Packet & { messageId?: number } {
  return packet.cmd === 'puback' || packet.cmd === 'pubcomp';
}
