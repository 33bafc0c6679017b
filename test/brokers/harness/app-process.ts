/**
 * The fixture app (test/process-fixtures/broker-app.ts) against one broker, with default settings
 * plus what only the suite needs: its own topics, a short reconnect backoff cap, a data directory.
 * @module
 */
import { startFixture, type FixtureProcess } from '../../utils/fixture-process';
import { TestClient } from '../../utils/test-client';
import type { TestBroker } from './broker-process';

/** Starts the fixture app and waits until it serves its routes. */
export async function startCompatApp(
  broker: TestBroker,
  run: string,
  extra: Record<string, string> = {},
): Promise<FixtureProcess> {
  const app = startFixture('broker-app', {
    MQTT_BROKER: broker.url,
    FIXTURE_RUN: run,
    // The broker restart case: reconnect within 2 s of the broker coming back (default cap 30 s).
    MQTT_RECONNECT_MAX_MS: '2000',
    ...extra,
  });
  await app.waitFor(extra.FIXTURE_SHARED_WORKERS ? 'all workers ready' : 'connected; serving', 120_000);
  return app;
}

/** Kills with SIGKILL and waits for the exit (a crash: no DISCONNECT, no acknowledgements flushed). */
export async function killApp(app: FixtureProcess): Promise<void> {
  if (app.child.exitCode !== null || app.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => app.child.once('exit', () => resolve()));
  app.child.kill('SIGKILL');
  await exited;
}

/** Connects a test client, retrying while the broker comes back. */
export async function connectClient(
  broker: TestBroker,
  version: 4 | 5,
  timeoutMs = 60_000,
): Promise<TestClient> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await TestClient.connect(broker.url, version);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** Polls until `condition` holds; fails naming `what` with `detail()` after the deadline. */
export async function eventually(
  what: string,
  condition: () => boolean,
  timeoutMs: number,
  detail: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${detail()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
