import type { Logger } from 'pino';
import type { DependencyContainer } from 'tsyringe';

/**
 * A service the app wires for its handlers (Redis, the database): registered in the container before
 * controllers are built, started before the app subscribes (so handlers never see it unready), and
 * stopped after the broker connection closed (so in-flight handlers could still use it).
 */
export interface Integration {
  /** For logs: `redis`, `database`. */
  readonly name: string;
  /** Registers tokens; no I/O here (createApp must stay free of network calls). */
  register(container: DependencyContainer, logger: Logger): void;
  /** Connects; a failure stops start-up with a message naming the variable to fix. */
  start(): Promise<void>;
  /**
   * When the app stops, before the broker connection closes: stop taking work and wait for what runs
   * (bounded), so that it can still publish. True when everything finished in time.
   */
  drain?(timeoutMs: number): Promise<boolean>;
  /** Closes; must not throw when start() never ran or failed. */
  stop(): Promise<void>;
}

/** Starts integrations in order, before the broker connection: handlers never see one unready. */
export async function startIntegrations(integrations: readonly Integration[], logger: Logger): Promise<void> {
  for (const integration of integrations) {
    await integration.start();
    logger.info({ integration: integration.name }, `${integration.name} ready`);
  }
}

/** Stops integrations in reverse order, after the broker connection; a failing one does not stop the rest. */
export async function stopIntegrations(integrations: readonly Integration[], logger: Logger): Promise<void> {
  for (const integration of [...integrations].reverse()) {
    try {
      await integration.stop();
    } catch (error) {
      logger.warn({ err: error, integration: integration.name }, `${integration.name} did not close cleanly`);
    }
  }
}

/** Drains every integration that has work of its own (job workers), all at once, within `timeoutMs`. */
export async function drainIntegrations(
  integrations: readonly Integration[],
  timeoutMs: number,
): Promise<boolean> {
  const results = await Promise.all(integrations.map((i) => i.drain?.(timeoutMs) ?? Promise.resolve(true)));
  return results.every(Boolean);
}
