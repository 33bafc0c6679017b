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
import { ReadingStore } from '../readings/reading-store';
import { toSensorReading } from './sensor-reading';

/** Receives sensor readings, keeps the last one per device, and raises alerts. */
@Controller('sensors')
@UseMiddleware(TimingMiddleware)
export class SensorController {
  constructor(
    private readonly publisher: MqttPublisher,
    private readonly readings: ReadingStore,
    @inject(ALERT_THRESHOLD) private readonly alertThreshold: number,
  ) {}

  /** `sensors/{device_id}/data`, QoS 1: acknowledged only once this method finished. */
  @Topic('{device_id}/data', { qos: 1 })
  async data(@Param('device_id') deviceId: string, @Payload() payload: unknown, @Ctx() ctx: MessageContext) {
    const reading = toSensorReading(payload);
    this.readings.record({ device_id: deviceId, ...reading, received_at: new Date().toISOString() });
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
