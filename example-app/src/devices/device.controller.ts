import { Controller, Param, Topic } from 'routemq';
import { ReadingService } from '../readings/reading-service';

/** Answers questions about devices (request/response over MQTT). */
@Controller('devices')
export class DeviceController {
  constructor(private readonly readings: ReadingService) {}

  /**
   * `devices/{device_id}/status/get`: the returned object is published to the request's MQTT 5
   * response topic (with its correlation data), or to `devices/{device_id}/status` for MQTT 3.1.1.
   * `source` says whether the last reading came from Redis or the database.
   */
  @Topic('{device_id}/status/get', { qos: 1, reply: 'devices/{device_id}/status' })
  async status(@Param('device_id') deviceId: string) {
    const { reading, source } = await this.readings.last(deviceId);
    return reading
      ? { device_id: deviceId, seen: true, last: reading, source }
      : { device_id: deviceId, seen: false, source };
  }
}
