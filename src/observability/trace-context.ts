/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/) carried in MQTT 5 user properties: a
 * `traceparent` on a message is continued into its handler and into what the handler publishes.
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { InboundMessage, PublishOptions } from '../transport/transport';

/** The trace a message belongs to, and the span its work hangs under. */
export interface TraceContext {
  /** 32 lowercase hex digits. */
  readonly traceId: string;
  /** 16 lowercase hex digits: the span that publishes from here will name as their parent. */
  readonly spanId: string;
  /** Trace flags (bit 0: sampled). */
  readonly flags: number;
  /** The vendor-specific `tracestate`, passed on unchanged. */
  readonly traceState?: string;
}

/** User property names, as the W3C HTTP headers (lowercase). */
export const TRACEPARENT = 'traceparent';
export const TRACESTATE = 'tracestate';

const TRACEPARENT_00 = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
// Later versions may append fields after the four known ones (trace-context section 3.2.4).
const TRACEPARENT_LATER = /^([0-9a-e][0-9a-f])-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-|$)/;
const ALL_ZERO = /^0+$/;

/**
 * Parses a `traceparent` value; undefined when it is malformed, version `ff`, or has an all-zero
 * trace or parent id (all invalid per trace-context section 3.2.2).
 *
 * @example
 * ```ts
 * parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
 * // { traceId: '4bf9...4736', spanId: '00f067aa0ba902b7', flags: 1 }
 * ```
 */
export function parseTraceparent(value: unknown, traceState?: string): TraceContext | undefined {
  if (typeof value !== 'string' || value.length < 55) return undefined;
  const text = value.trim();
  const v00 = TRACEPARENT_00.exec(text);
  const match = v00 ? [v00[1], v00[2], v00[3]] : later(text);
  if (!match) return undefined;
  const [traceId, spanId, flags] = match;
  if (ALL_ZERO.test(traceId) || ALL_ZERO.test(spanId)) return undefined;
  return { traceId, spanId, flags: parseInt(flags, 16), traceState };
}

function later(text: string): string[] | undefined {
  const match = TRACEPARENT_LATER.exec(text);
  return match && match[1] !== '00' ? [match[2], match[3], match[4]] : undefined;
}

/**
 * The `traceparent` value for a trace context.
 *
 * @example
 * ```ts
 * formatTraceparent({ traceId: '4bf9...4736', spanId: '00f067aa0ba902b7', flags: 1 }); // '00-4bf9...-01'
 * ```
 */
export function formatTraceparent(trace: TraceContext): string {
  return `00-${trace.traceId}-${trace.spanId}-${(trace.flags & 0xff).toString(16).padStart(2, '0')}`;
}

/**
 * The trace context a message carries in its MQTT 5 user properties, or undefined. Cheap when there is
 * none: one property read.
 *
 * @example
 * ```ts
 * traceOf(message)?.traceId;
 * ```
 */
export function traceOf(message: InboundMessage): TraceContext | undefined {
  const properties = message.properties.userProperties;
  if (properties === undefined) return undefined;
  const parent = first(properties[TRACEPARENT]);
  if (parent === undefined) return undefined;
  const state = properties[TRACESTATE];
  return parseTraceparent(parent, Array.isArray(state) ? state.join(',') : state);
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Publish options with the trace context added as user properties, unless the caller set its own
 * `traceparent`.
 *
 * @example
 * ```ts
 * transport.publish(topic, payload, withTraceContext(options, trace));
 * ```
 */
export function withTraceContext(options: PublishOptions | undefined, trace: TraceContext): PublishOptions {
  const properties = options?.properties;
  const user = properties?.userProperties;
  if (user?.[TRACEPARENT] !== undefined) return options ?? {};
  const added: Record<string, string> = { [TRACEPARENT]: formatTraceparent(trace) };
  if (trace.traceState) added[TRACESTATE] = trace.traceState;
  return { ...options, properties: { ...properties, userProperties: { ...user, ...added } } };
}

// Created on the first traced message only: an AsyncLocalStorage in use turns on async hooks, which
// cost every promise of the process something on Node 20, so untraced apps must never touch it.
let storage: AsyncLocalStorage<TraceContext> | undefined;

/**
 * Runs `fn` with `trace` as the current trace context of everything it awaits.
 *
 * @example
 * ```ts
 * await runInTrace(trace, () => handler(ctx));
 * ```
 */
export function runInTrace<T>(trace: TraceContext, fn: () => T): T {
  storage ??= new AsyncLocalStorage<TraceContext>();
  return storage.run(trace, fn);
}

/**
 * The trace context of the message being handled in this async flow, or undefined.
 *
 * @example
 * ```ts
 * currentTrace()?.traceId;
 * ```
 */
export function currentTrace(): TraceContext | undefined {
  return storage?.getStore();
}
