/**
 * Continues a message's trace into its handler: the W3C `traceparent` of its MQTT 5 user properties
 * goes into the handler's logger and, through an AsyncLocalStorage, into whatever the handler
 * publishes; with an OpenTelemetry SDK registered, each route run of a message is a CONSUMER span.
 * @module
 */
import type { Logger } from 'pino';
import type { RouteRun } from '../pipeline/dispatch-observer';
import type { RouteInfo } from '../pipeline/message-context';
import type { RouteOutcome } from '../pipeline/route-outcome';
import type { InboundMessage } from '../transport/transport';
import type { OtelTracing } from './otel';
import { runInTrace, traceOf, TRACEPARENT, type TraceContext } from './trace-context';

/**
 * The dispatcher's `trace` hook. An untraced message without OpenTelemetry goes straight through.
 *
 * @example
 * ```ts
 * const tracer = new MessageTracer(loadOtel());
 * await tracer.trace(message, route.info, logger, (log) => new RouteRunner(route, params, message, { ...deps, logger: log }).start());
 * ```
 */
export class MessageTracer {
  constructor(private readonly otel?: OtelTracing) {}

  /** A traceparent to continue, or an OpenTelemetry SDK to make spans: else `trace` is skipped. */
  traces(message: InboundMessage): boolean {
    return this.otel !== undefined || message.properties.userProperties?.[TRACEPARENT] !== undefined;
  }

  trace(message: InboundMessage, route: RouteInfo, logger: Logger, run: RouteRun): Promise<RouteOutcome> {
    const incoming = traceOf(message);
    if (this.otel) return this.#withSpan(this.otel, incoming, message, route, logger, run);
    if (!incoming) return run(logger);
    // No tracer of our own: the publisher's span stays the parent of what the handler publishes, so
    // the trace keeps its shape (trace-context section 3.2.2.3 allows passing it on unchanged).
    return runInTrace(incoming, () => run(traceLogger(logger, incoming)));
  }

  #withSpan(
    otel: OtelTracing,
    incoming: TraceContext | undefined,
    message: InboundMessage,
    route: RouteInfo,
    logger: Logger,
    run: RouteRun,
  ): Promise<RouteOutcome> {
    const { api, tracer } = otel;
    const parent = incoming ? remoteParent(otel, incoming) : api.context.active();
    // Span name and attributes after the OpenTelemetry messaging semantic conventions.
    const span = tracer.startSpan(
      `process ${route.filter}`,
      {
        kind: api.SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'mqtt',
          'messaging.operation.type': 'process',
          'messaging.destination.name': message.topic,
          'messaging.destination.template': route.template,
          'messaging.message.body.size': message.payload.length,
          'routemq.route': route.handler,
        },
      },
      parent,
    );
    const spanContext = span.spanContext();
    const current: TraceContext = {
      traceId: spanContext.traceId,
      spanId: spanContext.spanId,
      flags: spanContext.traceFlags,
      traceState: incoming?.traceState,
    };
    const active = api.trace.setSpan(parent, span);
    const running = api.context.with(active, () =>
      runInTrace(current, () => run(traceLogger(logger, current))),
    );
    return running.then(
      (outcome) => {
        endSpan(otel, span, outcome.error, outcome);
        return outcome;
      },
      (error: unknown) => {
        endSpan(otel, span, error);
        throw error;
      },
    );
  }
}

function remoteParent(
  { api }: OtelTracing,
  incoming: TraceContext,
): ReturnType<OtelTracing['api']['context']['active']> {
  return api.trace.setSpanContext(api.ROOT_CONTEXT, {
    traceId: incoming.traceId,
    spanId: incoming.spanId,
    traceFlags: incoming.flags,
    isRemote: true,
    traceState: incoming.traceState ? api.createTraceState(incoming.traceState) : undefined,
  });
}

function endSpan(
  { api }: OtelTracing,
  span: ReturnType<OtelTracing['tracer']['startSpan']>,
  error: unknown,
  outcome?: RouteOutcome,
): void {
  if (outcome) {
    span.setAttribute('routemq.attempts', outcome.attempts);
    if (outcome.deadLettered) span.setAttribute('routemq.dead_lettered', true);
    if (outcome.withheld) span.setAttribute('routemq.withheld', true);
  }
  if (error !== undefined) {
    if (error instanceof Error) span.recordException(error);
    const message = error instanceof Error ? error.message : String(error);
    span.setStatus({ code: api.SpanStatusCode.ERROR, message });
  }
  span.end();
}

/** The handler's logger carries the trace, so its lines join the trace in a log backend. */
function traceLogger(logger: Logger, trace: TraceContext): Logger {
  return logger.child({ traceId: trace.traceId, spanId: trace.spanId });
}
