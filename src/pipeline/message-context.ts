import type { Logger } from 'pino';
import type { InboundMessage, PublishOptions } from '../transport/transport';
import { decodePayload } from './payload';

/** What a route is, as seen from inside a message: for logs and middleware decisions. */
export interface RouteInfo {
  /** The joined template, e.g. `sensors/{device_id}/data`. */
  readonly template: string;
  /** The MQTT filter the route subscribes, e.g. `sensors/+/data` (no share prefix). */
  readonly filter: string;
  /** `ControllerName.method`. */
  readonly handler: string;
}

/** Publishes from inside a message; the same contract as `MqttPublisher.publish`. */
export type PublishFn = (topic: string, payload: unknown, options?: PublishOptions) => Promise<void>;

/**
 * Everything about one message as one route handles it. Each matching route gets its own context, so
 * `state` and `result` never leak from one route to another.
 *
 * @example
 * ```ts
 * @Topic('{device_id}/data')
 * data(@Ctx() ctx: MessageContext) {
 *   ctx.logger.info({ qos: ctx.packet.qos, device: ctx.params.device_id }, 'reading');
 * }
 * ```
 */
export class MessageContext {
  /** A per-message bag that middleware and the handler share. */
  readonly state: Record<string, unknown> = {};
  /** The handler's return value once it ran; what is replied when not undefined. */
  result: unknown = undefined;
  #payload: unknown;
  #decoded = false;
  #logger: Logger | undefined;

  constructor(
    /** The topic the message was published to. */
    readonly topic: string,
    /** Topic parameters by name (`{device_id}` -> `params.device_id`); a prototype-free object. */
    readonly params: Readonly<Record<string, string>>,
    /** The message as delivered: payload bytes, qos, retain, dup, MQTT 5 properties. */
    readonly packet: InboundMessage,
    readonly route: RouteInfo,
    private readonly rootLogger: Logger,
    /** Publishes a message (JSON, string or Buffer); topic checked for wildcards and NUL first. */
    readonly publish: PublishFn,
    /** 1 for the first attempt, 2 for the first retry... (docs/reliability.md). */
    readonly attempt = 1,
  ) {}

  /** A child of the root logger bound to this route, topic and message id; made on first use. */
  get logger(): Logger {
    this.#logger ??= this.rootLogger.child({
      route: this.route.handler,
      topic: this.topic,
      messageId: this.packet.messageId,
    });
    return this.#logger;
  }

  /** The payload parsed as JSON, or the raw Buffer when it is not JSON. Decoded once, on first use. */
  get payload(): unknown {
    if (!this.#decoded) {
      this.#payload = decodePayload(this.packet.payload);
      this.#decoded = true;
    }
    return this.#payload;
  }
}
