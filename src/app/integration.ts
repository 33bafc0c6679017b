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
  /** Closes; must not throw when start() never ran or failed. */
  stop(): Promise<void>;
}
