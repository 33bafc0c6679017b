import 'reflect-metadata';
import { createApp, isRouteMQError } from 'routemq';
import { AppModule } from './app.module';

async function main(): Promise<void> {
  const app = await createApp(AppModule);
  app.enableShutdownHooks();
  await app.start();
}

main().catch((error: unknown) => {
  // Boot errors are written for people: print the message, not a stack trace.
  const message = isRouteMQError(error) ? `${error.code}: ${error.message}` : error;
  console.error('routemq example-app failed to start:', message);
  process.exit(1);
});
