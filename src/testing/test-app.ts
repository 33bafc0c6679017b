import type { InjectionToken } from 'tsyringe';
import type { RouteMQApp } from '../app/application';
import { RouteMQError } from '../errors';
import type { RouteOutcome } from '../pipeline/route-outcome';
import { matchesFilter } from '../routing/topic-filter';
import type { MemoryBroker } from '../transport/memory-broker';
import type { InboundMessage, MessageProperties, QoS } from '../transport/transport';
import { assertPublishTopic } from '../transport/publish-topic';
import { dispatchThroughBroker } from './broker-dispatch';
import type { ClaimingTransport } from './claiming-transport';
import type { PublishedMessage, RecordingTransport } from './recording-transport';
import { TestJobs } from './test-jobs';

/** Options of one dispatched test message. */
export interface DispatchOptions {
  qos?: QoS;
  retain?: boolean;
  properties?: MessageProperties;
  /** Against a real broker: how long to wait for the matching routes to report (default 10000 ms). */
  timeoutMs?: number;
}

/** What one dispatched message did. */
export interface DispatchResult {
  /** One entry per route that ran: its result or its error. */
  readonly outcomes: readonly RouteOutcome[];
  /** Messages the app published while handling this one (replies, alerts...). */
  readonly published: readonly PublishedMessage[];
  /** The first route's handler result (convenience for one-route topics). */
  readonly result: unknown;
  /** The first route error, if any route failed. */
  readonly error: unknown;
}

/**
 * A started app with the real container, scanner, middleware and handlers: over an in-memory broker (no
 * sockets), or over a real broker when {@link createTestApp} was given one. Made by createTestApp.
 *
 * @example
 * ```ts
 * const t = await createTestApp(AppModule);
 * const { result, published } = await t.dispatch('devices/d1/status/get', {});
 * await t.close();
 * ```
 */
export class TestApp {
  /** Background jobs: what was dispatched and run; `runAll()` and `drain()` (docs/testing.md). */
  readonly jobs: TestJobs;

  constructor(
    readonly app: RouteMQApp,
    private readonly memoryBroker: MemoryBroker | undefined,
    private readonly recorder: RecordingTransport,
    private readonly claiming?: ClaimingTransport,
  ) {
    this.jobs = TestJobs.of(app.container);
  }

  /** `memory` (no sockets) or `broker` (a real broker: `broker` option or ROUTEMQ_TEST_BROKER). */
  get mode(): 'memory' | 'broker' {
    return this.claiming ? 'broker' : 'memory';
  }

  /** The in-memory broker (publish to it to reach the app as a device would). Memory mode only. */
  get broker(): MemoryBroker {
    if (!this.memoryBroker) {
      throw new RouteMQError(
        'ERR_APP_STATE',
        'This test app runs against a real broker (broker option or ROUTEMQ_TEST_BROKER): it has no memory broker.',
      );
    }
    return this.memoryBroker;
  }

  /** Everything the app published so far, in order. */
  get published(): readonly PublishedMessage[] {
    return this.recorder.published;
  }

  /** Resolves a service from the app's container (the same instances the handlers use). */
  resolve<T>(token: InjectionToken<T>): T {
    return this.app.container.resolve(token);
  }

  /** What the app published on topics matching `filter` (MQTT wildcards allowed), in order. */
  publishedOn(filter: string): PublishedMessage[] {
    return this.recorder.published.filter((m) => matchesFilter(filter, m.topic));
  }

  /**
   * Runs a message through the route table, middleware and handlers, as if the broker delivered it,
   * and resolves when every route finished. Objects are sent as JSON, strings as UTF-8. Against a real
   * broker the message is published for real and the routes' outcomes are awaited.
   */
  async dispatch(topic: string, payload: unknown, options: DispatchOptions = {}): Promise<DispatchResult> {
    // A broker never delivers a topic holding a wildcard (it refuses such a PUBLISH [MQTT-3.3.2-2]), so
    // a test must not be able to route one: 'foo/+' here would pass where production cannot.
    assertPublishTopic(topic);
    const before = this.recorder.published.length;
    const message: InboundMessage = {
      topic,
      payload: toBuffer(payload),
      qos: options.qos ?? 0,
      retain: options.retain ?? false,
      dup: false,
      messageId: (options.qos ?? 0) > 0 ? 1 : undefined,
      properties: options.properties ?? {},
    };
    const outcomes = this.claiming
      ? await dispatchThroughBroker(this.app, this.claiming, {
          topic,
          payload: message.payload,
          message,
          timeoutMs: options.timeoutMs ?? 10_000,
        })
      : await this.app.dispatch(message);
    const failed = outcomes.find((o) => o.error !== undefined);
    return {
      outcomes,
      published: this.recorder.published.slice(before),
      result: outcomes[0]?.result,
      error: failed?.error,
    };
  }

  /**
   * Hands every pending batch of the app's batch routes to its handler now, and resolves once every
   * message dispatched so far is finished (docs/batching.md, "Testing"). Dispatch many messages
   * without awaiting each, then await `flush()`; with fake timers, advancing the clock by `maxWaitMs`
   * flushes too.
   *
   * @example
   * ```ts
   * const runs = readings.map((r) => t.dispatch('sensors/d1/data', r, { qos: 1 }));
   * await t.flush();
   * const results = await Promise.all(runs);
   * ```
   */
  async flush(): Promise<void> {
    await this.app.flushBatches();
  }

  /** Waits for the app to publish on a topic matching `filter` (MQTT wildcards allowed). */
  waitForPublish(filter: string, timeoutMs = 5000): Promise<PublishedMessage> {
    const already = this.recorder.published.find((m) => matchesFilter(filter, m.topic));
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const onPublished = (message: PublishedMessage) => {
        if (!matchesFilter(filter, message.topic)) return;
        clearTimeout(timer);
        this.recorder.events.off('published', onPublished);
        resolve(message);
      };
      const timer = setTimeout(() => {
        this.recorder.events.off('published', onPublished);
        reject(
          new Error(
            `No publish on '${filter}' within ${timeoutMs} ms (published: ${this.describePublished()})`,
          ),
        );
      }, timeoutMs);
      this.recorder.events.on('published', onPublished);
    });
  }

  /** Stops the app (drains in-flight handlers). */
  async close(): Promise<void> {
    await this.app.stop();
  }

  private describePublished(): string {
    const topics = this.recorder.published.map((m) => m.topic);
    return topics.length > 0 ? topics.join(', ') : 'nothing';
  }
}

function toBuffer(payload: unknown): Buffer {
  if (Buffer.isBuffer(payload)) return payload;
  if (payload instanceof Uint8Array) return Buffer.from(payload);
  if (typeof payload === 'string') return Buffer.from(payload, 'utf8');
  if (payload === undefined) return Buffer.alloc(0);
  return Buffer.from(JSON.stringify(payload), 'utf8');
}
