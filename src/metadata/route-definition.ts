import type { CompiledTemplate } from '../routing/topic-template';
import type { MiddlewareClass } from '../pipeline/middleware';
import type { QoS } from '../transport/transport';
import type { Class, ParamArgs, TopicOptions } from './types';

/** A route after the scanner checked it: immutable, complete, ready for the route table. */
export interface RouteDefinition {
  readonly controller: Class;
  readonly method: string;
  /** `ControllerName.method`, for logs and errors. */
  readonly handlerName: string;
  readonly compiled: CompiledTemplate;
  readonly qos: QoS;
  readonly shared: boolean;
  /** Share group when shared (route option, else the app's group). */
  readonly group?: string;
  readonly workers: number;
  readonly reply?: CompiledTemplate;
  /** Middleware in run order: app-wide, module, controller, method. */
  readonly middleware: readonly MiddlewareClass[];
  /** Parameter decorators by position; empty means the handler receives `(ctx)`. */
  readonly params: readonly ParamArgs[];
  /** The options as written in `@Topic` (concurrency, retry, deadLetter, maxPayloadBytes...). */
  readonly options: Readonly<TopicOptions>;
}
