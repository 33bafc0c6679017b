import 'reflect-metadata';
import { createApp, isRouteMQError } from 'routemq';
import { AppModule } from './app.module';

/** The module, for the `routemq` tools (`npx routemq routes`, `asyncapi`): they load this file. */
export { AppModule };

async function main(): Promise<void> {
  const app = await createApp(AppModule);
  app.enableShutdownHooks();
  await app.start();
}

// Start only when run (`node dist/main.js`), not when a tool or a worker-less import loads the file.
if (require.main === module) {
  main().catch((error: unknown) => {
    // Boot errors are written for people: print the message, not a stack trace.
    const message = isRouteMQError(error) ? `${error.code}: ${error.message}` : error;
    console.error('routemq example-app failed to start:', message);
    process.exit(1);
  });
}
