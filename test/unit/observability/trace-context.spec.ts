import {
  currentTrace,
  formatTraceparent,
  parseTraceparent,
  runInTrace,
  traceOf,
  withTraceContext,
} from '../../../src/observability/trace-context';
import type { InboundMessage } from '../../../src/transport/transport';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';
const HEADER = `00-${TRACE_ID}-${PARENT}-01`;

function message(userProperties?: Record<string, string | string[]>): InboundMessage {
  return {
    topic: 't',
    payload: Buffer.alloc(0),
    qos: 1,
    retain: false,
    dup: false,
    properties: { userProperties },
  };
}

describe('W3C traceparent', () => {
  it('parses and formats version 00 (the example of the specification)', () => {
    const trace = parseTraceparent(HEADER);
    expect(trace).toEqual({ traceId: TRACE_ID, spanId: PARENT, flags: 1, traceState: undefined });
    expect(formatTraceparent(trace!)).toBe(HEADER);
    expect(formatTraceparent({ traceId: TRACE_ID, spanId: PARENT, flags: 0 })).toBe(
      `00-${TRACE_ID}-${PARENT}-00`,
    );
  });

  it.each([
    ['upper-case hex', HEADER.toUpperCase()],
    ['version ff', `ff-${TRACE_ID}-${PARENT}-01`],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${PARENT}-01`],
    ['an all-zero parent id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['a short trace id', `00-${TRACE_ID.slice(1)}-${PARENT}-01`],
    ['extra fields on version 00', `${HEADER}-extra`],
    ['garbage', 'x'.repeat(60)],
    ['a number', 42],
  ])('refuses %s', (_, value) => {
    expect(parseTraceparent(value)).toBeUndefined();
  });

  it('accepts a later version with extra fields, reading the four it knows (section 3.2.4)', () => {
    expect(parseTraceparent(`01-${TRACE_ID}-${PARENT}-01-future`)).toMatchObject({
      traceId: TRACE_ID,
      spanId: PARENT,
    });
  });

  it('reads traceparent and tracestate from MQTT 5 user properties', () => {
    expect(traceOf(message())).toBeUndefined();
    expect(traceOf(message({ other: 'x' }))).toBeUndefined();
    expect(traceOf(message({ traceparent: HEADER, tracestate: 'congo=t61rcWkgMzE' }))).toEqual({
      traceId: TRACE_ID,
      spanId: PARENT,
      flags: 1,
      traceState: 'congo=t61rcWkgMzE',
    });
    expect(traceOf(message({ traceparent: [HEADER, 'x'], tracestate: ['a=1', 'b=2'] }))?.traceState).toBe(
      'a=1,b=2',
    );
  });

  it('adds the context to publish options without losing the caller’s properties', () => {
    const trace = { traceId: TRACE_ID, spanId: 'b7ad6b7169203331', flags: 1, traceState: 'a=1' };
    const options = withTraceContext(
      { qos: 1, properties: { contentType: 'json', userProperties: { k: 'v' } } },
      trace,
    );
    expect(options).toEqual({
      qos: 1,
      properties: {
        contentType: 'json',
        userProperties: { k: 'v', traceparent: `00-${TRACE_ID}-b7ad6b7169203331-01`, tracestate: 'a=1' },
      },
    });
    const own = { properties: { userProperties: { traceparent: HEADER } } };
    expect(withTraceContext(own, trace)).toBe(own);
  });

  it('keeps the current trace across awaits inside runInTrace, and none outside', async () => {
    const trace = parseTraceparent(HEADER)!;
    expect(currentTrace()).toBeUndefined();
    const seen = await runInTrace(trace, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return currentTrace();
    });
    expect(seen).toBe(trace);
    expect(currentTrace()).toBeUndefined();
  });
});
