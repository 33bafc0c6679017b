import { Module } from 'routemq';
import { ALERT_THRESHOLD, readAlertThreshold } from './common/settings';
import { DeviceController } from './devices/device.controller';
import { ReadingStore } from './readings/reading-store';
import { SensorController } from './sensors/sensor.controller';

/** The example IoT back end: sensor readings in, alerts and device status out. */
@Module({
  controllers: [SensorController, DeviceController],
  providers: [ReadingStore, { token: ALERT_THRESHOLD, useFactory: () => readAlertThreshold() }],
})
export class AppModule {}
