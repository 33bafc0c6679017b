/**
 * Test helpers: run an app's real controllers, middleware and container without a broker.
 * @module
 */
import 'reflect-metadata';
import { createApp, type AppOptions } from '../app/create-app';
import type { Class } from '../metadata/types';
import { MemoryBroker } from '../transport/memory-broker';
import { MemoryTransport } from '../transport/memory-transport';
import { RecordingTransport } from './recording-transport';
import { TestApp } from './test-app';

export { TestApp } from './test-app';
export type { DispatchOptions, DispatchResult } from './test-app';
export type { PublishedMessage } from './recording-transport';
export { MemoryBroker } from '../transport/memory-broker';
export { MemoryTransport } from '../transport/memory-transport';

/** Options of {@link createTestApp}: app options, hermetic by default (empty env, silent logs). */
export type TestAppOptions = Omit<AppOptions, 'transport'>;

/**
 * Builds and starts an app over an in-memory broker. `providers` override the modules' providers
 * (one line to swap a real service for a fake).
 *
 * @example
 * ```ts
 * const t = await createTestApp(AppModule, { providers: [{ token: PaymentApi, useValue: fakeApi }] });
 * const { result } = await t.dispatch('devices/dev-1/status/get', {});
 * await t.close();
 * ```
 */
export async function createTestApp(rootModule: Class, options: TestAppOptions = {}): Promise<TestApp> {
  const broker = new MemoryBroker();
  const recorder = new RecordingTransport(new MemoryTransport(broker, { clientId: 'routemq-test-app' }));
  const app = await createApp(rootModule, {
    env: {},
    logLevel: 'silent',
    ...options,
    transport: recorder,
  });
  await app.start();
  return new TestApp(app, broker, recorder);
}
