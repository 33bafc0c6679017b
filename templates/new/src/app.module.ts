import { Module } from 'routemq';
import { LoggingMiddleware } from './common/logging.middleware';
import { healthRouter } from './health.routes';
import { ALERT_THRESHOLD, readAlertThreshold } from './sensors/alert-threshold';
import { SensorController } from './sensors/sensor.controller';

/** The app: its controllers, routers, middleware and providers. */
@Module({
  controllers: [SensorController],
  routers: [healthRouter],
  middleware: [LoggingMiddleware],
  providers: [{ token: ALERT_THRESHOLD, useFactory: () => readAlertThreshold() }],
})
export class AppModule {}
