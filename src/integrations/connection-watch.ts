import type { Logger } from 'pino';

/**
 * Logs a connection's outages once each: the first sign of trouble (a close or an error) is logged as
 * an error, repeated failures while it stays down go to debug, and the recovery is logged once with
 * how long it took. A client that retries every second must not write a line per attempt.
 *
 * @example
 * ```ts
 * const watch = new ConnectionWatch(logger, 'redis', 'redis://127.0.0.1:6379');
 * client.on('close', () => watch.lost());
 * client.on('ready', () => watch.restored());
 * ```
 */
export class ConnectionWatch {
  #downSince: number | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly service: string,
    /** The address, credentials already hidden. */
    private readonly address: string,
    /** What callers experience meanwhile, for the log line. */
    private readonly meanwhile = '',
  ) {}

  /** True between a loss and its recovery. */
  get down(): boolean {
    return this.#downSince !== undefined;
  }

  /** Records a close or an error; logs only the first one of an outage. */
  lost(error?: unknown): void {
    if (this.#downSince !== undefined) {
      if (error !== undefined) this.logger.debug({ err: error }, `${this.service} still unreachable`);
      return;
    }
    this.#downSince = Date.now();
    this.logger.error(
      { err: error, address: this.address },
      `${this.service} connection lost (${this.address}); reconnecting in the background${this.meanwhile}`,
    );
  }

  /** Records a successful (re)connection; logs the end of an outage. */
  restored(): void {
    if (this.#downSince === undefined) return;
    const downMs = Date.now() - this.#downSince;
    this.#downSince = undefined;
    this.logger.info(
      { address: this.address, downMs },
      `${this.service} connection restored after ${downMs} ms`,
    );
  }
}
