import { Module } from 'routemq';
import { ALERT_THRESHOLD, readAlertThreshold } from './common/settings';
import { DeviceController } from './devices/device.controller';
import { CreateReadings1764000000000 } from './readings/create-readings.migration';
import { Reading } from './readings/reading.entity';
import { ReadingService } from './readings/reading-service';
import { SensorController } from './sensors/sensor.controller';
import { NotifyOperators } from './notifications/notify-operators.job';

/**
 * The example IoT back end: sensor readings in (validated, stored in `readings`), alerts and device
 * status out; a hot reading also hands a NotifyOperators job to the job queue (BullMQ with REDIS_URL,
 * in-process without). Declaring entities gives it a database: a SQLite file under DATA_DIR by default,
 * PostgreSQL with DATABASE_URL. REDIS_URL adds a cache of each device's last reading.
 */
@Module({
  controllers: [SensorController, DeviceController],
  providers: [ReadingService, { token: ALERT_THRESHOLD, useFactory: () => readAlertThreshold() }],
  entities: [Reading],
  migrations: [CreateReadings1764000000000],
  jobs: [NotifyOperators],
})
export class AppModule {}
