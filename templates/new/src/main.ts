import 'reflect-metadata';
import { createApp, isRouteMQError } from 'routemq';
import { AppModule } from './app.module';

// `routemq routes` and `routemq asyncapi` load this file to find the module: export it.
export { AppModule };

async function main(): Promise<void> {
  const app = await createApp(AppModule);
  app.enableShutdownHooks(); // SIGINT/SIGTERM: finish the messages in flight, then exit
  await app.start();
}

// Start only when run (`npm start`, `routemq dev`), not when the routemq CLI loads this file.
if (require.main === module) {
  main().catch((error: unknown) => {
    // Boot errors are written for people: print the message, not a stack trace.
    console.error(isRouteMQError(error) ? `${error.code}: ${error.message}` : error);
    process.exit(1);
  });
}
