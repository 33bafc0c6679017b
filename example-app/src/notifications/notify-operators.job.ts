import { Job, MqttPublisher, topic, type JobContext } from 'routemq';

/** What operators are told about a hot reading. */
export interface HotReading {
  device_id: string;
  temperature: number;
}

/**
 * Tells the operators about a hot reading, off the message path: the sensor handler only stores the
 * job (its message is acknowledged once the job is stored), and this runs in a job worker with its own
 * retries. Here it publishes `notifications/{device_id}`; a real app would send an e-mail or a page.
 */
@Job({
  queue: 'notifications',
  attempts: 5,
  backoff: { type: 'exponential', delayMs: 1000 },
  timeoutMs: 30_000,
})
export class NotifyOperators {
  constructor(private readonly publisher: MqttPublisher) {}

  async handle(reading: HotReading, job: JobContext): Promise<void> {
    job.logger.info(
      { device_id: reading.device_id, temperature: reading.temperature },
      'notifying operators',
    );
    await this.publisher.publish(topic`notifications/${reading.device_id}`, reading, { qos: 1 });
  }
}
