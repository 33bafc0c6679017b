/**
 * The one error base of RouteMQ and its catalog of codes.
 *
 * Every error the framework raises carries a stable `code` (listed in docs/errors.md; a test keeps the
 * two in sync) and a message that says what happened, where, and how to fix it.
 * @module
 */

/** Every error code RouteMQ can raise, with a one-line meaning (mirrored in docs/errors.md). */
export const ERROR_CODES = {
  ERR_TEMPLATE_INVALID: 'A @Topic template (or its controller prefix) is malformed.',
  ERR_ROUTE_INVALID:
    'A route declaration is inconsistent (bad options, parameter decorators, missing @Topic).',
  ERR_MODULE_INVALID: 'A module, provider or controller list is malformed.',
  ERR_CONFIG_INVALID: 'One or more configuration variables have invalid values.',
  ERR_BROKER_PORT_IN_USE: 'The embedded broker cannot listen because its port is taken.',
  ERR_BROKER_UNREACHABLE: 'The MQTT broker could not be reached or refused the connection.',
  ERR_BROKER_PROTOCOL: 'The broker was reached but does not speak the MQTT version asked for.',
  ERR_SUBSCRIBE_FAILED: 'The broker refused a subscription.',
  ERR_NOT_CONNECTED: 'A publish or subscribe was attempted while the transport is not started.',
  ERR_PUBLISH_TOPIC_INVALID: 'A publish topic is empty or holds a wildcard, NUL or a forbidden parameter.',
  ERR_PUBLISH_UNSUPPORTED:
    'A publish asks for what the broker said it cannot take (larger than its Maximum Packet Size, retain where it has none).',
  ERR_PAYLOAD_INVALID: 'A message payload could not be decoded for the route.',
  ERR_VALIDATION_FAILED: 'A payload was decoded but does not satisfy the route DTO (class-validator).',
  ERR_PAYLOAD_TOO_LARGE: 'A message payload is larger than the route accepts (MAX_PAYLOAD_BYTES).',
  ERR_DUPLICATE_IN_PROGRESS: 'Another delivery with the same idempotency key is being processed (retried).',
  ERR_NEXT_CALLED_TWICE: 'A middleware called next() more than once.',
  ERR_HANDLER_FAILED: 'A middleware or handler threw while processing a message.',
  ERR_DEPENDENCY_UNRESOLVED:
    'A controller, middleware or provider could not be constructed by the container.',
  ERR_DECORATOR_METADATA_MISSING:
    'Types needed at boot are unknown because the code was compiled without decorator metadata.',
  ERR_INTEGRATION_START_FAILED:
    'Redis or the database could not be started (unreachable, refused, missing driver, failed migration).',
  ERR_APP_STATE: 'An application method was called in the wrong state (start twice, dispatch before init).',
  ERR_RATE_LIMITED: 'A message exceeded a RateLimit middleware and was dead-lettered (onLimit: dead-letter).',
  ERR_BATCH_ITEM_FAILED:
    'A batch handler failed on this item on its own, after the batch was retried and split in halves.',
  ERR_HTTP_LISTEN_FAILED: 'The HTTP endpoint (HTTP_PORT) could not listen: the port is taken or not allowed.',
  ERR_JOB_INVALID: 'A @Job class or its options are malformed (queue name, attempts, backoff, repeat, DTO).',
  ERR_JOB_NOT_REGISTERED: 'A job class was dispatched that no module lists in `jobs: [...]`.',
  ERR_JOB_DATA_INVALID: 'Job data does not satisfy the job DTO, or cannot be stored as JSON.',
  ERR_JOB_TIMEOUT: 'A job attempt ran longer than its timeoutMs.',
  ERR_JOB_NOT_FOUND: 'The jobs CLI was given a job id that no queue holds (or not in the expected state).',
  ERR_JOBS_UNAVAILABLE:
    'A jobs command needs stored jobs (REDIS_URL) or jobs in the module, and has neither.',
  ERR_DEAD_LETTER_NOT_FOUND: 'No stored dead letter has the id given to `routemq dead-letters`.',
  ERR_CLI_USAGE: 'A command line was incomplete or had an invalid option value.',
} as const;

/** A RouteMQ error code (see {@link ERROR_CODES}). */
export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * Base class of every error RouteMQ raises.
 *
 * @example
 * ```ts
 * try { await app.start(); }
 * catch (err) { if (err instanceof RouteMQError && err.code === 'ERR_CONFIG_INVALID') process.exit(78); }
 * ```
 */
export class RouteMQError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RouteMQError';
    this.code = code;
  }
}

/**
 * Raised at boot when configuration or declarations are wrong. Its message lists every problem found,
 * one per line, so that one start-up shows them all.
 *
 * @example
 * ```ts
 * throw new ConfigError('ERR_CONFIG_INVALID', ['MQTT_PORT: "abc" is not a port number (0-65535)']);
 * ```
 */
export class ConfigError extends RouteMQError {
  readonly problems: readonly string[];

  constructor(code: ErrorCode, problems: readonly string[], heading = 'Invalid configuration') {
    super(code, `${heading}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** True when `value` is a RouteMQError (with an optional code check). */
export function isRouteMQError(value: unknown, code?: ErrorCode): value is RouteMQError {
  return value instanceof RouteMQError && (code === undefined || value.code === code);
}
