import { AckSequencer } from '../../../src/transport/ack-sequencer';

describe('AckSequencer', () => {
  it('sends an ack only once its message was processed and its ack captured', () => {
    const sent: number[] = [];
    const sequencer = new AckSequencer();
    const slot = sequencer.admit(1);
    expect(sequencer.capture(1, () => sent.push(1))).toBe(true);
    expect(sent).toEqual([]);
    slot.done();
    expect(sent).toEqual([1]);
    expect(sequencer.pending).toBe(0);
  });

  it('releases acks in arrival order even when later messages finish first [MQTT-4.6.0-2]', () => {
    const sent: number[] = [];
    const sequencer = new AckSequencer();
    const slots = [10, 11, 12].map((id) => {
      const slot = sequencer.admit(id);
      sequencer.capture(id, () => sent.push(id));
      return slot;
    });
    slots[2].done();
    slots[1].done();
    expect(sent).toEqual([]);
    slots[0].done();
    expect(sent).toEqual([10, 11, 12]);
  });

  it('works when processing finishes before mqtt.js hands over the ack', () => {
    const sent: number[] = [];
    const sequencer = new AckSequencer();
    sequencer.admit(5).done();
    sequencer.capture(5, () => sent.push(5));
    expect(sent).toEqual([5]);
  });

  it('captures the ack of any waiting delivery, not only the newest one', () => {
    const sent: number[] = [];
    const sequencer = new AckSequencer();
    const slots = [7, 8, 9].map((id) => sequencer.admit(id));
    for (const id of [8, 7, 9]) expect(sequencer.capture(id, () => sent.push(id))).toBe(true);
    for (const slot of slots) slot.done();
    expect(sent).toEqual([7, 8, 9]);
  });

  it('refuses to capture an ack it never admitted, so the caller sends it directly', () => {
    expect(new AckSequencer().capture(99, () => undefined)).toBe(false);
  });

  it('drops held acks on reset: they belong to a closed connection', () => {
    const sent: number[] = [];
    const sequencer = new AckSequencer();
    const slot = sequencer.admit(1);
    sequencer.capture(1, () => sent.push(1));
    sequencer.reset();
    slot.done();
    expect(sent).toEqual([]);
    expect(sequencer.pending).toBe(0);
  });
});
