import { Controller, Param, Topic } from 'routemq';
import { ReadingStore } from '../readings/reading-store';

/** Answers questions about devices (request/response over MQTT). */
@Controller('devices')
export class DeviceController {
  constructor(private readonly readings: ReadingStore) {}

  /**
   * `devices/{device_id}/status/get`: the returned object is published to the request's MQTT 5
   * response topic (with its correlation data), or to `devices/{device_id}/status` for MQTT 3.1.1.
   */
  @Topic('{device_id}/status/get', { qos: 1, reply: 'devices/{device_id}/status' })
  status(@Param('device_id') deviceId: string) {
    const last = this.readings.last(deviceId);
    return last ? { device_id: deviceId, seen: true, last } : { device_id: deviceId, seen: false };
  }
}
