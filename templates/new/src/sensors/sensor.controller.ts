import {
  Controller,
  Ctx,
  inject,
  MessageContext,
  MqttPublisher,
  Param,
  Payload,
  topic,
  Topic,
} from 'routemq';
import { ALERT_THRESHOLD } from './alert-threshold';
import { ReadingDto } from './reading.dto';

/** Receives sensor readings and raises alerts. */
@Controller('sensors')
export class SensorController {
  constructor(
    private readonly publisher: MqttPublisher,
    @inject(ALERT_THRESHOLD) private readonly threshold: number,
  ) {}

  /** `sensors/{device_id}/data`, QoS 1: acknowledged to the broker only once this method finished. */
  @Topic('{device_id}/data', { qos: 1 })
  async data(
    @Param('device_id') deviceId: string,
    @Payload() reading: ReadingDto,
    @Ctx() ctx: MessageContext,
  ) {
    ctx.logger.info({ device_id: deviceId, temperature: reading.temperature }, 'reading');
    if (reading.temperature > this.threshold) {
      const alert = { device_id: deviceId, temperature: reading.temperature };
      await this.publisher.publish(topic`alerts/${deviceId}`, alert, { qos: 1 });
    }
  }
}
