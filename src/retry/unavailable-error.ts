import { isRouteMQError } from '../errors';
import { isRetryableByDefault } from './retry-policy';

/**
 * Error codes that mean "a service we depend on cannot be reached right now": Node socket and DNS
 * codes (ioredis, pg, mysql2 and mqtt.js surface them unchanged), RouteMQ's own ERR_NOT_CONNECTED
 * (a publish while the broker is away) and ERR_DUPLICATE_IN_PROGRESS (another process holds the
 * message), mysql2's lost connection, and SQLite's busy/locked database.
 */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTCONN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ERR_NOT_CONNECTED',
  'ERR_DUPLICATE_IN_PROGRESS',
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
]);

/**
 * PostgreSQL SQLSTATEs of a server that cannot serve now (set by the server, never by a payload):
 * class 08 (connection exception), 57P01-57P03 (shutdown, crash, cannot connect now), 53300 (too many
 * connections).
 */
const UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;

/** Error classes of the drivers that only ever mean "not reachable" (ioredis, TypeORM). */
const UNAVAILABLE_NAMES = new Set([
  'MaxRetriesPerRequestError',
  'ConnectionIsNotSetError',
  'CannotExecuteNotConnectedError',
]);

/**
 * Plain `Error`s that drivers throw for a lost connection without a code (ioredis "Connection is
 * closed.", "Command timed out"; pg "Connection terminated unexpectedly"; mqtt.js "client
 * disconnecting"). They are recognised by **where they were made**, the top frame of the stack below
 * the message being the driver's, never by their text: error messages can carry sender text (a JSON.parse
 * snippet, a property name, a topic), which once let a payload reading "Connection is closed" stall
 * the app.
 */
const DRIVER_FRAMES = /[\\/]node_modules[\\/](ioredis|pg|pg-pool|mysql2|mqtt)[\\/]/;

/**
 * True for errors that say a dependency (Redis, the database, the broker for a publish) is down, not
 * that the message is bad: by code, SQLSTATE, class, or the driver that threw, walked through `cause`
 * and TypeORM's `driverError`. Never by message text, and never for RouteMQ's errors about the
 * message itself (validation, payload, topic), whatever their cause.
 *
 * @example
 * ```ts
 * isUnavailableError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' })); // true
 * isUnavailableError(new SyntaxError('Unexpected token C, "Connection is closed" is not valid JSON')); // false
 * ```
 */
export function isUnavailableError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; isErrorLike(current) && depth < 5; depth++) {
    // About the message itself (validation, payload, topic): never "unavailable", whatever the cause.
    if (isRouteMQError(current) && !isRetryableByDefault(current)) return false;
    if (hasUnavailableIdentity(current)) return true;
    const { cause, driverError } = current as Error & { cause?: unknown; driverError?: unknown };
    current = isErrorLike(driverError) ? driverError : cause;
  }
  return false;
}

/** Duck-typed: errors made by Node itself can come from another realm (vm, test runners). */
function isErrorLike(value: unknown): value is Error {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Error).message === 'string' &&
    typeof (value as Error).name === 'string'
  );
}

function hasUnavailableIdentity(error: Error): boolean {
  const code = (error as Error & { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code)))
    return true;
  if (UNAVAILABLE_NAMES.has(error.constructor?.name ?? '')) return true;
  // A plain Error (by name: another realm's Error constructor is a different object).
  return error.constructor?.name === 'Error' && thrownByDriver(error);
}

/**
 * Whether the error was constructed inside a driver: the first frame after the message (which may be
 * sender text, fake frames included) is the driver's. Only the top frame: user code called from a
 * driver's callback has driver frames further down.
 */
function thrownByDriver(error: Error): boolean {
  const stack = error.stack;
  if (typeof stack !== 'string') return false;
  const head = `${error.name}: ${error.message}`;
  if (!stack.startsWith(head)) return false;
  const topFrame = stack.slice(head.length).split('\n', 2)[1] ?? '';
  return DRIVER_FRAMES.test(topFrame);
}
