/**
 * Test helpers: run an app's real controllers, middleware and container without a broker, or, by
 * switching one option, against a real one.
 * @module
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { buildApp, type AppOptions } from '../app/create-app';
import type { Class } from '../metadata/types';
import { MemoryBroker } from '../transport/memory-broker';
import { MemoryTransport } from '../transport/memory-transport';
import { MqttTransport } from '../transport/mqtt-transport';
import { ClaimingTransport } from './claiming-transport';
import { RecordingTransport } from './recording-transport';
import { TestApp } from './test-app';

export { TestApp } from './test-app';
export { TestJobs } from './test-jobs';
export type { JobDispatch } from '../jobs/job-queue';
export type { JobAttempt } from '../jobs/job-runner';
export type { DispatchOptions, DispatchResult } from './test-app';
export type { PublishedMessage } from './recording-transport';
export type { RouteOutcome } from '../pipeline/route-outcome';
export { MemoryBroker } from '../transport/memory-broker';
export { MemoryTransport } from '../transport/memory-transport';

/**
 * Options of {@link createTestApp}: app options, hermetic by default (empty env, silent logs). `broker`
 * (or the ROUTEMQ_TEST_BROKER variable) runs the same test against a real broker instead of in memory.
 */
export type TestAppOptions = Omit<AppOptions, 'transport'>;

/**
 * The variable that switches every `createTestApp` to a real broker, e.g. `mqtt://127.0.0.1:1883`.
 *
 * @example
 * ```ts
 * process.env[TEST_BROKER_VARIABLE] = 'mqtt://127.0.0.1:1883'; // or in the shell: ROUTEMQ_TEST_BROKER=...
 * ```
 */
export const TEST_BROKER_VARIABLE = 'ROUTEMQ_TEST_BROKER';

/**
 * Builds and starts an app over an in-memory broker. `providers` override the modules' providers
 * (one line to swap a real service for a fake). With `broker: 'mqtt://...'` (or ROUTEMQ_TEST_BROKER
 * set) the app connects to that broker instead, and `dispatch` publishes for real.
 *
 * @example
 * ```ts
 * const t = await createTestApp(AppModule, { providers: [{ token: PaymentApi, useValue: fakeApi }] });
 * const { result } = await t.dispatch('devices/dev-1/status/get', {});
 * await t.close();
 * ```
 */
export async function createTestApp(rootModule: Class, options: TestAppOptions = {}): Promise<TestApp> {
  const brokerUrl = options.broker ?? process.env[TEST_BROKER_VARIABLE];
  if (brokerUrl) return startOnBroker(rootModule, brokerUrl, options);
  const broker = new MemoryBroker();
  const recorder = new RecordingTransport(new MemoryTransport(broker, { clientId: 'routemq-test-app' }));
  const app = await buildApp(
    rootModule,
    { env: {}, logLevel: 'silent', deadLetterStore: 'topic-only', ...options, transport: recorder },
    'test',
  );
  await app.start();
  return new TestApp(app, broker, recorder);
}

async function startOnBroker(rootModule: Class, url: string, options: TestAppOptions): Promise<TestApp> {
  const claiming = new ClaimingTransport(
    new MqttTransport({
      url,
      username: options.username,
      password: options.password,
      // Unique per test app: two suites on one broker must not take each other's session over.
      clientId: `routemq-test-${randomBytes(4).toString('hex')}`,
      protocolVersion: options.protocolVersion ?? (process.env.MQTT_PROTOCOL_VERSION === '4' ? 4 : 5),
      closeTimeoutMs: 2000,
    }),
  );
  const recorder = new RecordingTransport(claiming);
  const app = await buildApp(
    rootModule,
    {
      env: {},
      logLevel: 'silent',
      deadLetterStore: 'topic-only',
      ...options,
      broker: url,
      transport: recorder,
    },
    'test',
  );
  await app.start();
  return new TestApp(app, undefined, recorder, claiming);
}
