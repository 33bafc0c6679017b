import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { DATA_SOURCE, inject, injectable, LOGGER, REDIS } from 'routemq';
import type { DataSource, Repository } from 'typeorm';
import { Reading } from './reading.entity';

/** One sensor reading as the app answers it. */
export interface StoredReading {
  readonly device_id: string;
  readonly temperature: number;
  readonly humidity?: number;
  readonly received_at: string;
}

/** A reading to store. */
export interface NewReading {
  readonly deviceId: string;
  readonly temperature: number;
  readonly humidity?: number;
}

/** The last reading of a device and where it was found. */
export interface LastReading {
  readonly reading?: StoredReading;
  readonly source: 'redis' | 'database';
}

/** How long the cached last reading of a device is kept. */
const CACHE_SECONDS = 7 * 24 * 3600;

/**
 * Stores every reading in the database, and keeps each device's latest one in Redis when REDIS_URL is
 * set (REDIS is injected optionally: undefined without it). The database is the source of truth: a
 * Redis outage or a cache miss falls back to it.
 */
@injectable()
export class ReadingService {
  constructor(
    @inject(DATA_SOURCE) private readonly db: DataSource,
    @inject(LOGGER) private readonly logger: Logger,
    @inject(REDIS, { isOptional: true }) private readonly redis?: Redis,
  ) {}

  /**
   * Saves readings with one multi-row INSERT (a batch route's whole batch), then refreshes the cached
   * latest reading of each device in it.
   */
  async recordMany(readings: readonly NewReading[]): Promise<StoredReading[]> {
    if (readings.length === 0) return [];
    const receivedAt = new Date();
    const rows = readings.map((values) =>
      this.readings.create({
        device_id: values.deviceId,
        temperature: values.temperature,
        humidity: values.humidity ?? null,
        received_at: receivedAt,
      }),
    );
    await this.readings.insert(rows);
    const stored = rows.map(toStored);
    // The last reading of each device in arrival order is its latest.
    const latest = new Map(stored.map((reading) => [reading.device_id, reading]));
    for (const reading of latest.values()) await this.cache(reading);
    return stored;
  }

  /** The latest reading of a device: from Redis when configured and present, else the database. */
  async last(deviceId: string): Promise<LastReading> {
    const cached = await this.cached(deviceId);
    if (cached) return { reading: cached, source: 'redis' };
    const row = await this.readings.findOne({
      where: { device_id: deviceId },
      order: { received_at: 'DESC', id: 'DESC' },
    });
    return { reading: row ? toStored(row) : undefined, source: 'database' };
  }

  /** The Redis key of a device's latest reading. */
  static cacheKey(deviceId: string): string {
    return `example:last-reading:${deviceId}`;
  }

  // A getter, not a constructor field: the DataSource is initialized by app.start(), after the
  // container built this service.
  private get readings(): Repository<Reading> {
    return this.db.getRepository(Reading);
  }

  private async cache(reading: StoredReading): Promise<void> {
    if (!this.redis) return;
    try {
      await this.redis.set(
        ReadingService.cacheKey(reading.device_id),
        JSON.stringify(reading),
        'EX',
        CACHE_SECONDS,
      );
    } catch (error) {
      // The reading is stored; a stale cache only means status answers come from the database.
      this.logger.warn({ err: error, device_id: reading.device_id }, 'could not cache the reading in Redis');
      await this.forget(reading.device_id);
    }
  }

  private async cached(deviceId: string): Promise<StoredReading | undefined> {
    if (!this.redis) return undefined;
    try {
      const text = await this.redis.get(ReadingService.cacheKey(deviceId));
      return text === null ? undefined : (JSON.parse(text) as StoredReading);
    } catch (error) {
      this.logger.warn({ err: error, device_id: deviceId }, 'Redis unavailable; answering from the database');
      return undefined;
    }
  }

  private async forget(deviceId: string): Promise<void> {
    await this.redis?.del(ReadingService.cacheKey(deviceId)).catch(() => undefined);
  }
}

function toStored(row: Reading): StoredReading {
  const base = {
    device_id: row.device_id,
    temperature: row.temperature,
    received_at: row.received_at.toISOString(),
  };
  return row.humidity === null ? base : { ...base, humidity: row.humidity };
}
