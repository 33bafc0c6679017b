import {
  Controller,
  Ctx,
  inject,
  MessageContext,
  MqttPublisher,
  Param,
  Payload,
  Topic,
  UseMiddleware,
} from 'routemq';
import { ALERT_THRESHOLD } from '../common/settings';
import { TimingMiddleware } from '../common/timing.middleware';
import { ReadingService } from '../readings/reading-service';
import { SensorReadingDto } from './sensor-reading.dto';

/** Receives sensor readings, stores them, and raises alerts. */
@Controller('sensors')
@UseMiddleware(TimingMiddleware)
export class SensorController {
  constructor(
    private readonly publisher: MqttPublisher,
    private readonly readings: ReadingService,
    @inject(ALERT_THRESHOLD) private readonly alertThreshold: number,
  ) {}

  /**
   * `sensors/{device_id}/data`, QoS 1: acknowledged only once this method finished, so a stored
   * reading is never lost. `reading` is already a validated SensorReadingDto.
   */
  @Topic('{device_id}/data', { qos: 1 })
  async data(
    @Param('device_id') deviceId: string,
    @Payload() reading: SensorReadingDto,
    @Ctx() ctx: MessageContext,
  ) {
    await this.readings.record(deviceId, reading);
    ctx.logger.info({ device_id: deviceId, temperature: reading.temperature }, 'reading received');
    if (reading.temperature > this.alertThreshold) {
      await this.publisher.publish(
        `alerts/${deviceId}`,
        { device_id: deviceId, temperature: reading.temperature },
        { qos: 1 },
      );
    }
  }
}
