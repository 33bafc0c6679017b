import type { MiddlewareClass } from '../pipeline/middleware';
import type { QoS } from '../transport/transport';

/** Any class. `never[]` arguments keep it assignable from classes with any constructor. */
export type Class<T = unknown> = new (...args: never[]) => T;

/**
 * Options of a `@Topic` route.
 *
 * @example
 * ```ts
 * @Topic('{device_id}/data', { qos: 1, shared: true, workers: 3 })
 * ```
 */
export interface TopicOptions {
  /** Subscription QoS (default 0). The broker subscription takes the highest QoS of its routes. */
  qos?: QoS;
  /** Subscribe through the share group (`$share/<group>/<filter>`) so the broker spreads the load. */
  shared?: boolean;
  /** Share group of this route (default: `MQTT_GROUP_NAME`, itself `routemq` by default). */
  group?: string;
  /** Worker processes for this shared route (see docs/scaling.md). */
  workers?: number;
  /**
   * Topic template the handler's return value is published to when the request carries no MQTT 5
   * response topic; may use the route's parameters, e.g. `devices/{device_id}/status`.
   */
  reply?: string;
  /** Messages of this route handled at once (default ROUTE_CONCURRENCY, itself 1: arrival order). */
  concurrency?: number;
  /** Retry policy of failing messages (defaults from RETRY_ATTEMPTS, RETRY_DELAY_MS...). */
  retry?: RetryOptions;
  /** Dead-letter topic of this route, or false to only log failures (default `<DEAD_LETTER_TOPIC>/<topic>`). */
  deadLetter?: string | false;
  /** Larger payloads are rejected before parsing (default MAX_PAYLOAD_BYTES). */
  maxPayloadBytes?: number;
  /** How a `@Payload()` DTO of this route is validated (docs/integrations.md). */
  validation?: PayloadValidationOptions;
  /**
   * Makes this a batch route: the handler gets many messages at once through `@Batch()`, and all of
   * them are acknowledged after it resolves (docs/batching.md).
   */
  batch?: BatchOptions;
}

/**
 * When a batch route hands its collected items to the handler (docs/batching.md). A batch is also
 * handed over early when the broker's in-flight window is full, and when the app stops.
 *
 * @example
 * ```ts
 * @Topic('{device_id}/data', { qos: 1, batch: { maxSize: 500, maxWaitMs: 50 } })
 * ```
 */
export interface BatchOptions {
  /** Items at most per batch (default 100); capped by MQTT_RECEIVE_MAXIMUM on QoS 1/2 routes. */
  maxSize?: number;
  /** Milliseconds a batch waits for more items after its first one arrived (default 50). */
  maxWaitMs?: number;
}

/**
 * class-validator and class-transformer settings of a DTO route. Defaults: `whitelist` and
 * `forbidNonWhitelisted` on (a property the DTO does not declare fails the message), everything else off.
 *
 * @example
 * ```ts
 * @Topic('{device_id}/data', { validation: { forbidNonWhitelisted: false } }) // strip extras silently
 * ```
 */
export interface PayloadValidationOptions {
  /** Remove properties without a validation decorator (default true). */
  whitelist?: boolean;
  /** Fail on properties without a validation decorator instead of removing them (default true). */
  forbidNonWhitelisted?: boolean;
  /** Fail on values that are not class instances, e.g. a nested object without `@Type` (default true). */
  forbidUnknownValues?: boolean;
  /** Skip the checks of properties that are null or undefined (default false). */
  skipMissingProperties?: boolean;
  /** Skip the checks of properties that are null (default false). */
  skipNullProperties?: boolean;
  /** Skip the checks of properties that are undefined (default false). */
  skipUndefinedProperties?: boolean;
  /** Report only the first failing constraint of each property (default false). */
  stopAtFirstError?: boolean;
  /** Validation groups to apply (class-validator `groups`). */
  groups?: string[];
  /** Let class-transformer convert values to the declared property types, e.g. "21.5" to 21.5 (default false). */
  enableImplicitConversion?: boolean;
}

/** How a route retries a failing message before dead-lettering it (docs/reliability.md). */
export interface RetryOptions {
  /** Attempts in all, the first included (1 = no retry). */
  attempts?: number;
  /** Delay before the first retry, doubled per attempt with jitter. */
  delayMs?: number;
  /** Cap of the delay. */
  maxDelayMs?: number;
  /** Which errors are worth retrying (default: all but validation and payload errors). */
  retryable?: (error: unknown) => boolean;
}

/** A parameter decorator's record, by parameter position. */
export type ParamArgs =
  | { readonly index: number; readonly kind: 'param'; readonly name: string }
  | {
      readonly index: number;
      readonly kind: 'payload';
      readonly type?: Class;
      /** No explicit type and no decorator metadata: the declared type cannot be known. */
      readonly typeUnknown?: boolean;
    }
  | { readonly index: number; readonly kind: 'ctx' }
  | { readonly index: number; readonly kind: 'batch'; readonly type?: Class };

/** A `@Topic` as the user wrote it. */
export interface RouteArgs {
  readonly method: string;
  readonly template: string;
  readonly options: TopicOptions;
}

/** Everything the decorators recorded on one controller class. */
export interface ControllerArgs {
  prefix?: string;
  isController: boolean;
  readonly middleware: MiddlewareClass[];
  readonly routes: RouteArgs[];
  readonly methodMiddleware: Map<string, MiddlewareClass[]>;
  readonly params: Map<string, ParamArgs[]>;
}
