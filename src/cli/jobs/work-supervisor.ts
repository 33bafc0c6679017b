import { hostname } from 'node:os';
import pino from 'pino';
import { loadConfig } from '../../app/config';
import { DEFAULT_RESTART_POLICY } from '../../workers/restart-policy';
import { Supervisor } from '../../workers/supervisor';
import type { CliIo } from '../io';

/**
 * `routemq work --workers N`: N copies of this same command, each a supervised worker process (restarted
 * with backoff when it exits, as route workers are); SIGTERM/SIGINT drain them all.
 *
 * @example
 * ```ts
 * await superviseJobWorkers(4, io);
 * ```
 */
export async function superviseJobWorkers(count: number, io: CliIo): Promise<void> {
  const config = loadConfig(io.env);
  const logger = pino({ level: config.logLevel }).child({ component: 'work-supervisor' });
  const supervisor = new Supervisor({
    entry: process.argv[1],
    args: process.argv.slice(2),
    execArgv: process.execArgv,
    plan: Array.from({ length: count }, (_, index) => ({ index, routes: [] })),
    clientBase: config.clientId ?? `routemq-work-${hostname().slice(0, 20)}-${process.pid}`,
    restart: DEFAULT_RESTART_POLICY,
    stopTimeoutMs: config.shutdownTimeoutMs + 5000,
    logger,
    onAllFailed: () => {
      logger.fatal('every job worker process is crash-looping; stopping');
      void supervisor.stop().then(() => process.exit(1));
    },
  });
  await supervisor.start();
  logger.info({ workers: supervisor.workers.map((w) => w.pid) }, `${count} job worker processes running`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void supervisor.stop().then((clean) => process.exit(clean ? 0 : 1)));
  }
}
