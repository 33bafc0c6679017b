/** One sensor reading as the app keeps it. */
export interface StoredReading {
  readonly device_id: string;
  readonly temperature: number;
  readonly humidity?: number;
  readonly received_at: string;
}

/**
 * The last reading of each device, in memory. A module provider (a singleton), injected into both
 * controllers; the integrations issue moves it to Redis and the database.
 */
export class ReadingStore {
  readonly #last = new Map<string, StoredReading>();

  record(reading: StoredReading): void {
    this.#last.set(reading.device_id, reading);
  }

  last(deviceId: string): StoredReading | undefined {
    return this.#last.get(deviceId);
  }
}
