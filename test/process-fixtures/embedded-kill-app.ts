/**
 * An app on its embedded broker, run as a process by the SIGKILL test: each reading's id goes into a
 * Redis set after a short wait, so that a backlog builds up behind the handler while devices publish.
 */
import 'reflect-metadata';
import { Redis } from 'ioredis';
import { Controller, createApp, Module, Param, Topic } from 'routemq';

const setKey = process.env.FIXTURE_SET ?? 'routemq:kill-test:processed';
// Its own connection, so that the app's REDIS_URL (which makes the broker durable) can stay unset.
const redis = new Redis(process.env.FIXTURE_REDIS ?? 'redis://127.0.0.1:6379/13');

@Controller('kill')
class ReadingController {
  @Topic('readings/{id}', { qos: 1 })
  async reading(@Param('id') id: string): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 2));
    await redis.sadd(setKey, id);
  }
}

@Module({ controllers: [ReadingController] })
class KillModule {}

async function main(): Promise<void> {
  const app = await createApp(KillModule);
  app.enableShutdownHooks();
  await app.start();
}

main().catch((error: unknown) => {
  console.error('embedded-kill fixture failed to start:', error);
  process.exit(1);
});
