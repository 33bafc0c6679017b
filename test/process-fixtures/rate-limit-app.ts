/**
 * An app run as a real process by the rate-limit tests: three shared routes, one per algorithm, each
 * behind a RateLimit whose budget lives in Redis (REDIS_URL), so that two processes share one limit.
 */
import 'reflect-metadata';
import { Controller, createApp, Module, Param, RateLimit, Topic, UseMiddleware } from 'routemq';

const run = process.env.FIXTURE_RUN ?? 'fixture';
const limit = Number(process.env.FIXTURE_LIMIT ?? 50);
const windowMs = Number(process.env.FIXTURE_WINDOW_MS ?? 60_000);
const prefix = `routemq:rate-limit:${run}`;

@Controller(run)
class LimitedController {
  @Topic('fixed/{id}', { qos: 1, shared: true })
  @UseMiddleware(RateLimit({ limit, windowMs, algorithm: 'fixed-window', prefix }))
  fixed(@Param('id') id: string) {
    return id;
  }

  @Topic('sliding/{id}', { qos: 1, shared: true })
  @UseMiddleware(RateLimit({ limit, windowMs, algorithm: 'sliding-window', prefix }))
  sliding(@Param('id') id: string) {
    return id;
  }

  @Topic('bucket/{id}', { qos: 1, shared: true })
  @UseMiddleware(RateLimit({ limit, windowMs, algorithm: 'token-bucket', prefix }))
  bucket(@Param('id') id: string) {
    return id;
  }
}

@Module({ controllers: [LimitedController] })
class LimitedModule {}

async function main(): Promise<void> {
  const app = await createApp(LimitedModule);
  app.enableShutdownHooks();
  await app.start();
}

main().catch((error: unknown) => {
  console.error('rate-limit fixture failed to start:', error);
  process.exit(1);
});
