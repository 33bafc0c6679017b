import pino from 'pino';
import { Limiter } from '../../../src/concurrency/limiter';
import { createDispatchStats } from '../../../src/pipeline/dispatch-stats';
import type { ExecutableRoute } from '../../../src/pipeline/executable-route';
import type { MessageContext, PublishFn } from '../../../src/pipeline/message-context';
import type { RunnerDeps } from '../../../src/pipeline/route-runner';
import { isRetryableByDefault } from '../../../src/retry/retry-policy';
import type { InboundMessage } from '../../../src/transport/transport';

/** A route over a plain handler, with fast retries and a dead-letter topic, for pipeline specs. */
export function routeOf(
  handler: (ctx: MessageContext) => unknown,
  overrides: Partial<ExecutableRoute> = {},
): ExecutableRoute {
  return {
    info: { template: 'devices/{id}', filter: 'devices/+', handler: 'Devices.handle' },
    qos: 1,
    run: async (ctx) => {
      ctx.result = await handler(ctx);
      return ctx.result;
    },
    limiter: new Limiter(1),
    retry: { attempts: 3, delayMs: 1, maxDelayMs: 2, retryable: isRetryableByDefault },
    deadLetterTopic: (topic) => `dead/${topic}`,
    maxPayloadBytes: 1024,
    ...overrides,
  };
}

/** An inbound QoS 1 message with a JSON payload. */
export function messageOf(topic: string, payload: unknown = {}): InboundMessage {
  return {
    topic,
    payload: Buffer.from(JSON.stringify(payload)),
    qos: 1,
    retain: false,
    dup: false,
    properties: {},
  };
}

/** What the runner publishes (replies, dead letters), recorded. */
export interface RecordedPublish {
  readonly topic: string;
  readonly payload: unknown;
}

/** Runner dependencies with a silent logger and a recording publish; `stop()` aborts `stopping`. */
export function runnerDeps(overrides: Partial<RunnerDeps> = {}): {
  deps: RunnerDeps;
  published: RecordedPublish[];
  stop: () => void;
} {
  const published: RecordedPublish[] = [];
  const stopping = new AbortController();
  const publish: PublishFn = (topic, payload) => {
    published.push({ topic, payload });
    return Promise.resolve();
  };
  const deps: RunnerDeps = {
    logger: pino({ level: 'silent' }),
    publish,
    stats: createDispatchStats(),
    stopping: stopping.signal,
    ...overrides,
  };
  return { deps, published, stop: () => stopping.abort() };
}
