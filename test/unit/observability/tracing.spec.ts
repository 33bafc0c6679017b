import 'reflect-metadata';
import { Writable } from 'node:stream';
import {
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type SpanContext,
  type SpanOptions,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import pino from 'pino';
import { Controller, Ctx, MessageContext, Module, MqttPublisher, Param, Topic, currentTrace } from 'routemq';
import { createTestApp } from 'routemq/testing';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';
const traced = { userProperties: { traceparent: `00-${TRACE_ID}-${PARENT}-01`, tracestate: 'vendor=x' } };

@Controller('obs')
class TracedController {
  static seen: Array<string | undefined> = [];
  constructor(private readonly publisher: MqttPublisher) {}

  @Topic('{id}/cmd', { qos: 1 })
  async cmd(@Param('id') id: string, @Ctx() ctx: MessageContext) {
    TracedController.seen.push(currentTrace()?.traceId);
    ctx.logger.info('handling');
    await new Promise((resolve) => setTimeout(resolve, 1));
    await this.publisher.publish(`obs/${id}/event`, { id }, { qos: 1 });
    await ctx.publish(`obs/${id}/audit`, 'x');
    return { done: id };
  }

  @Topic('{id}/fail', { qos: 1, retry: { attempts: 1 } })
  fail() {
    throw new Error('boom');
  }
}

@Module({ controllers: [TracedController] })
class TracedModule {}

function capturedLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe('trace context without OpenTelemetry', () => {
  beforeEach(() => (TracedController.seen = []));

  it('continues an incoming traceparent into the handler logger, currentTrace() and every publish', async () => {
    const { logger, lines } = capturedLogger();
    const t = await createTestApp(TracedModule, { logger });
    const { published, result } = await t.dispatch('obs/d1/cmd', {}, { qos: 1, properties: traced });
    await t.close();
    expect(result).toEqual({ done: 'd1' });
    expect(TracedController.seen).toEqual([TRACE_ID]);
    expect(published.map((m) => m.topic)).toEqual(['obs/d1/event', 'obs/d1/audit']);
    for (const message of published) {
      // Passed on unchanged: no span of ours exists for a backend to attach children to.
      expect(message.properties?.userProperties).toMatchObject(traced.userProperties);
    }
    const handling = lines.find((line) => line.msg === 'handling');
    expect(handling).toMatchObject({ traceId: TRACE_ID, spanId: PARENT, route: 'TracedController.cmd' });
  });

  it('adds nothing to an untraced message or its publishes', async () => {
    const t = await createTestApp(TracedModule);
    const { published } = await t.dispatch('obs/d2/cmd', {}, { qos: 1 });
    await t.close();
    expect(TracedController.seen).toEqual([undefined]);
    expect(published.every((m) => m.properties?.userProperties?.traceparent === undefined)).toBe(true);
  });
});

interface RecordedSpan {
  name: string;
  options: SpanOptions;
  parent: SpanContext | undefined;
  context: SpanContext;
  status?: { code: SpanStatusCode; message?: string };
  attributes: Record<string, unknown>;
  exceptions: unknown[];
  ended: boolean;
}

/** The smallest SDK stand-in: records spans, nothing exported. */
class RecordingProvider implements TracerProvider {
  readonly spans: RecordedSpan[] = [];
  #next = 1;

  getTracer(): Tracer {
    const startSpan = (name: string, options: SpanOptions = {}, context?: Context): Span => {
      const parent = context ? trace.getSpanContext(context) : undefined;
      const record: RecordedSpan = {
        name,
        options,
        parent,
        context: {
          traceId: parent?.traceId ?? 'a'.repeat(32),
          spanId: (this.#next++).toString(16).padStart(16, '0'),
          traceFlags: 1,
        },
        attributes: { ...options.attributes },
        exceptions: [],
        ended: false,
      };
      this.spans.push(record);
      const span = {
        spanContext: () => record.context,
        setAttribute: (key: string, value: unknown) => ((record.attributes[key] = value), span),
        setAttributes: () => span,
        addEvent: () => span,
        addLink: () => span,
        addLinks: () => span,
        setStatus: (status: RecordedSpan['status']) => ((record.status = status), span),
        updateName: () => span,
        end: () => void (record.ended = true),
        isRecording: () => true,
        recordException: (error: unknown) => void record.exceptions.push(error),
      };
      return span as unknown as Span;
    };
    return { startSpan, startActiveSpan: () => undefined } as unknown as Tracer;
  }
}

describe('OpenTelemetry spans (when an SDK is registered)', () => {
  let provider: RecordingProvider;
  beforeEach(() => {
    provider = new RecordingProvider();
    trace.setGlobalTracerProvider(provider);
  });
  afterEach(() => trace.disable());

  it('makes a CONSUMER span per message, child of the incoming traceparent, and propagates it', async () => {
    const t = await createTestApp(TracedModule);
    const { published } = await t.dispatch('obs/d3/cmd', {}, { qos: 1, properties: traced });
    await t.close();
    expect(provider.spans).toHaveLength(1);
    const [span] = provider.spans;
    expect(span).toMatchObject({
      name: 'process obs/+/cmd',
      options: { kind: SpanKind.CONSUMER },
      parent: { traceId: TRACE_ID, spanId: PARENT, isRemote: true },
      ended: true,
    });
    expect(span.attributes).toMatchObject({
      'messaging.system': 'mqtt',
      'messaging.destination.name': 'obs/d3/cmd',
      'routemq.route': 'TracedController.cmd',
      'routemq.attempts': 1,
    });
    expect(span.status).toBeUndefined();
    const expected = `00-${TRACE_ID}-${span.context.spanId}-01`;
    expect(published.map((m) => m.properties?.userProperties?.traceparent)).toEqual([expected, expected]);
  });

  it('starts a new trace for an untraced message, and marks a failure as an error', async () => {
    const t = await createTestApp(TracedModule);
    const { published } = await t.dispatch('obs/d4/fail', {}, { qos: 1 });
    await t.close();
    const [span] = provider.spans;
    expect(span.parent).toBeUndefined();
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'boom' });
    expect(span.exceptions).toHaveLength(1);
    expect(span.attributes['routemq.dead_lettered']).toBe(true);
    // The dead letter is published inside the span: it carries the trace too.
    expect(published[0].topic).toBe('routemq/dead-letter/obs/d4/fail');
    expect(published[0].properties?.userProperties?.traceparent).toBe(
      `00-${'a'.repeat(32)}-${span.context.spanId}-01`,
    );
  });
});
