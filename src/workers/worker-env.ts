/**
 * How a supervisor tells a forked process that it is a worker, and which one. Environment variables,
 * because the worker runs the user's own entry file (`node dist/main.js`) again, unchanged.
 */
export const WORKER_INDEX_VAR = 'ROUTEMQ_WORKER_INDEX';
/** The client id base chosen by the supervisor, so that a restarted worker gets its session back. */
export const WORKER_CLIENT_BASE_VAR = 'ROUTEMQ_WORKER_CLIENT_BASE';

/** This process's worker identity, or undefined in a process that is not a worker. */
export interface WorkerIdentity {
  readonly index: number;
  /** `<base>-w<index>`: stable across restarts of this worker slot. */
  readonly clientId: string;
}

/** Reads the worker identity from the environment. */
export function currentWorker(env: NodeJS.ProcessEnv = process.env): WorkerIdentity | undefined {
  const raw = env[WORKER_INDEX_VAR];
  if (raw === undefined) return undefined;
  const index = Number(raw);
  if (!Number.isInteger(index) || index < 0) return undefined;
  const base = env[WORKER_CLIENT_BASE_VAR] ?? `routemq-${process.pid}`;
  return { index, clientId: `${base}-w${index}` };
}
