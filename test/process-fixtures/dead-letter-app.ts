/**
 * An app run as a real process by the dead-letter tests: `orders/{id}/created` fails on a payload with
 * `"poison": true` until FIXTURE_FIXED=1 ("the bug was fixed"), and publishes `processed/{id}` otherwise.
 * Its dead-letter store comes from the environment (DEAD_LETTER_STORE, REDIS_URL, DATA_DIR).
 */
import 'reflect-metadata';
import { Controller, createApp, Module, MqttPublisher, Param, Payload, Topic } from 'routemq';

const fixed = process.env.FIXTURE_FIXED === '1';

@Controller('orders')
class OrderController {
  constructor(private readonly publisher: MqttPublisher) {}

  @Topic('{id}/created', { qos: 1 })
  async created(@Param('id') id: string, @Payload() order: { poison?: boolean }) {
    if (order.poison && !fixed) throw new Error('cannot handle this order yet');
    await this.publisher.publish(`processed/${id}`, order, { qos: 1 });
  }
}

@Module({ controllers: [OrderController] })
export class AppModule {}

async function main(): Promise<void> {
  const app = await createApp(AppModule);
  app.enableShutdownHooks();
  await app.start();
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error('dead-letter fixture failed to start:', error);
    process.exit(1);
  });
}
