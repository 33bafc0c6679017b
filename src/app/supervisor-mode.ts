import { Supervisor } from '../workers/supervisor';
import { DEFAULT_RESTART_POLICY } from '../workers/restart-policy';
import type { Logger } from 'pino';
import type { ProcessMode } from './process-mode';

/**
 * Starts the worker processes of a supervising app: each re-runs this process's entry file
 * (`node dist/main.js`) with its worker index in the environment, so a worker builds the same app with
 * its full container (Redis, database, publisher, logger of its own) and serves its share of routes.
 */
export async function startSupervisor(
  mode: Extract<ProcessMode, { kind: 'supervisor' }>,
  parts: {
    readonly logger: Logger;
    readonly shutdownTimeoutMs: number;
    /** The script worker processes run (default: this process's entry, `process.argv[1]`). */
    readonly workerEntry?: string;
  },
  onAllFailed: () => void,
): Promise<Supervisor> {
  const supervisor = new Supervisor({
    entry: parts.workerEntry ?? process.argv[1],
    args: process.argv.slice(2),
    execArgv: process.execArgv,
    plan: mode.plan,
    clientBase: mode.clientBase,
    restart: DEFAULT_RESTART_POLICY,
    // Each worker drains within SHUTDOWN_TIMEOUT_MS itself; the margin covers its disconnect.
    stopTimeoutMs: parts.shutdownTimeoutMs + 5000,
    logger: parts.logger.child({ component: 'supervisor' }),
    onAllFailed,
  });
  parts.logger.info(
    { workers: mode.plan.length, clientBase: mode.clientBase },
    `supervising ${mode.plan.length} worker processes (share group routes spread by the broker)`,
  );
  await supervisor.start();
  parts.logger.info(
    { workers: supervisor.workers.map((w) => ({ index: w.index, pid: w.pid })) },
    'all workers ready',
  );
  return supervisor;
}
