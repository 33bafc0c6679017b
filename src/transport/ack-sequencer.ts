/**
 * Releases QoS 1/2 acknowledgements in arrival order, each only once its message was processed.
 *
 * Why this exists: the transport calls mqtt.js' `handleMessage` back at once (the reason is at that
 * hook in mqtt-transport.ts), catches the acknowledgement mqtt.js then tries to send, and lets this
 * sequencer send it when the handler is done and every earlier delivery has been acknowledged: MQTT requires PUBACKs in the order
 * the PUBLISH packets arrived [MQTT-4.6.0-2].
 */
export class AckSequencer {
  /**
   * Deliveries of the current connection still waiting for their ack, oldest first. There is no Map by
   * message id: one keyed by packet ids (which cycle through 1..65535) kept reallocating its tables and
   * pushed ~450 bytes per QoS 1 message into the old generation, and the mark-compact pauses that
   * followed tripled the p99 latency (docs/benchmarks.md). See `#find`.
   */
  #queue: Slot[] = [];

  /** Registers a delivery on arrival; call `done()` on the returned slot when it was processed. */
  admit(messageId: number): { done: () => void } {
    const slot: Slot = { messageId, processed: false, send: undefined, arrivedAt: performance.now() };
    this.#queue.push(slot);
    return {
      done: () => {
        slot.processed = true;
        this.#flush();
      },
    };
  }

  /**
   * Takes over the sending of an acknowledgement for a delivery admitted earlier; returns false when
   * the message id is unknown (send it directly then).
   */
  capture(messageId: number, send: () => void): boolean {
    const slot = this.#find(messageId);
    if (!slot || slot.send) return false;
    slot.send = send;
    this.#flush();
    return true;
  }

  /** How long the oldest acknowledgement still held has waited, in ms (undefined: none held). */
  oldestAgeMs(): number | undefined {
    const head = this.#queue[0];
    return head === undefined ? undefined : performance.now() - head.arrivedAt;
  }

  /** Acknowledgements still held. */
  get pending(): number {
    return this.#queue.length;
  }

  /**
   * Forgets every held acknowledgement: the connection they belong to is gone, packet ids will be reused,
   * and the broker redelivers those messages on the next connection (at-least-once, never an ack sent
   * on the wrong connection).
   */
  reset(): void {
    this.#queue = [];
  }

  /**
   * The waiting delivery with this message id, searched from the newest: mqtt.js asks to send the ack
   * right after the delivery was admitted (the handleMessage callback runs at once), so the search
   * usually ends at the first step. Ids are unique in the queue: the broker reuses a packet id only
   * after its acknowledgement (MQTT 5.0 section 2.2.1, [MQTT-2.2.1-4]), and the queue is emptied when the connection is lost.
   */
  #find(messageId: number): Slot | undefined {
    for (let i = this.#queue.length - 1; i >= 0; i--) {
      if (this.#queue[i].messageId === messageId) return this.#queue[i];
    }
    return undefined;
  }

  #flush(): void {
    while (this.#queue.length > 0) {
      const head = this.#queue[0];
      if (!head.processed || !head.send) return;
      this.#queue.shift();
      head.send();
    }
  }
}

interface Slot {
  readonly messageId: number;
  processed: boolean;
  send: (() => void) | undefined;
  readonly arrivedAt: number;
}
