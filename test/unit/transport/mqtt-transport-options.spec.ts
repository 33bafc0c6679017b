import {
  intakeLimitsOf,
  maximumPacketSizeFor,
  toClientOptions,
} from '../../../src/transport/mqtt-transport-options';

describe('MQTT client options', () => {
  it('announces a Maximum Packet Size derived from MAX_PAYLOAD_BYTES on MQTT 5 only', () => {
    const v5 = toClientOptions({ url: 'mqtt://b', maxPayloadBytes: 262_144 }, 5);
    expect(v5.properties?.maximumPacketSize).toBe(maximumPacketSizeFor(262_144));
    // Room for the largest topic and properties: an acceptable payload is never withheld by the broker.
    expect(maximumPacketSizeFor(262_144)).toBeGreaterThan(262_144 + 65_535);
    expect(maximumPacketSizeFor(268_435_455)).toBe(268_435_455);
    expect(toClientOptions({ url: 'mqtt://b', maxPayloadBytes: 262_144 }, 4).properties).toBeUndefined();
  });

  it('bounds intake by the receive maximum and 64 MiB unless told otherwise', () => {
    expect(intakeLimitsOf({ url: 'mqtt://b', receiveMaximum: 100 })).toEqual({
      maxMessages: 100,
      maxBytes: 64 * 1024 * 1024,
    });
    expect(intakeLimitsOf({ url: 'mqtt://b', maxHeldMessages: 7, maxHeldBytes: 1024 })).toEqual({
      maxMessages: 7,
      maxBytes: 1024,
    });
  });
});
