import {
  Batch,
  BatchItem,
  Controller,
  inject,
  JobQueue,
  MqttPublisher,
  Topic,
  topic,
  UseMiddleware,
} from 'routemq';
import { NotifyOperators } from '../notifications/notify-operators.job';
import { ALERT_THRESHOLD } from '../common/settings';
import { TimingMiddleware } from '../common/timing.middleware';
import { ReadingService } from '../readings/reading-service';
import { SensorReadingDto } from './sensor-reading.dto';

/** Receives sensor readings, stores them many at a time, and raises alerts. */
@Controller('sensors')
@UseMiddleware(TimingMiddleware)
export class SensorController {
  constructor(
    private readonly publisher: MqttPublisher,
    private readonly readings: ReadingService,
    private readonly jobs: JobQueue,
    @inject(ALERT_THRESHOLD) private readonly alertThreshold: number,
  ) {}

  /**
   * `sensors/{device_id}/data`, QoS 1, as a batch route (docs/batching.md): up to 500 readings, or
   * what arrived within 50 ms, are stored with one multi-row insert, and every one of them is
   * acknowledged only once this method finished, so a stored reading is never lost. Each payload was
   * validated as a SensorReadingDto before it joined the batch.
   */
  @Topic('{device_id}/data', { qos: 1, batch: { maxSize: 500, maxWaitMs: 50 } })
  async ingest(@Batch(SensorReadingDto) items: BatchItem<SensorReadingDto>[]) {
    // Built first, before anything is stored: `sensors//data` and `sensors/$SYS/data` match this route
    // too (an empty level is a level), and the builder refuses such an id (ERR_PUBLISH_TOPIC_INVALID)
    // instead of publishing to `alerts/` or `alerts/$SYS`; bisection then dead-letters that item alone.
    const alertTopics = items.map((item) => topic`alerts/${item.params.device_id}`);
    await this.readings.recordMany(
      items.map((item) => ({ deviceId: item.params.device_id, ...item.payload })),
    );
    for (const [i, item] of items.entries()) {
      const { temperature } = item.payload;
      if (temperature <= this.alertThreshold) continue;
      const deviceId = item.params.device_id;
      item.logger.info({ device_id: deviceId, temperature }, 'hot reading');
      await this.publisher.publish(alertTopics[i], { device_id: deviceId, temperature }, { qos: 1 });
      // Awaited: the batch is acknowledged only once the job is stored (docs/jobs.md).
      await this.jobs.dispatch(NotifyOperators, { device_id: deviceId, temperature });
    }
  }
}
