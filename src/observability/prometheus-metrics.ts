/**
 * The Prometheus metrics of an app (prom-client), in a registry of its own: two apps in one process
 * never collide. The list, with names and labels, is in docs/operations.md.
 * @module
 */
import type { Counter, Registry } from 'prom-client';
import type { BatchObserver, DispatchObserver } from '../pipeline/dispatch-observer';
import { BatchMetrics } from './batch-metrics';
import type { RouteInfo } from '../pipeline/message-context';
import type { RateLimitAction, RateLimitEvents } from '../middleware/rate-limit-events';
import type { TransportGauges, TransportObserver } from '../transport/mqtt-transport-options';
import { defineStoredDeadLettersGauge, type StoredDeadLetterCounts } from './dead-letter-gauge';
import { BucketHistogram, type HistogramSeries } from './bucket-histogram';
import { RouteCounters, type RouteCounts } from './route-counters';

/** The prom-client module (loaded lazily: apps without HTTP_PORT never load it). */
export type PromClient = typeof import('prom-client');

/** Handler attempts: from a millisecond to the 30 s a handler should never exceed. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const ACK_LAG_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60];

type Read = (counts: RouteCounts) => number;

/**
 * Per-route message counters, handler durations, in-flight attempts, acknowledgement lag, broker
 * connection state and reconnects, rate-limit refusals, and Node process metrics.
 *
 * @example
 * ```ts
 * const metrics = new PrometheusMetrics(require('prom-client'));
 * const dispatcher = new Dispatcher(table, { ...deps, observer: metrics });
 * const text = await metrics.registry.metrics();
 * ```
 */
export class PrometheusMetrics implements DispatchObserver, TransportObserver, RateLimitEvents {
  readonly registry: Registry;
  readonly #routes = new Map<string, RouteCounters>();
  readonly #duration: BucketHistogram;
  readonly #ackLag: HistogramSeries;
  readonly #batches: BatchMetrics;
  #connected = false;
  #connections = 0;
  #disconnects = 0;
  #unmatched = 0;
  #transport: TransportGauges | undefined;
  readonly #droppedEnvelopes: Record<string, number> = {};
  #storedDeadLetters: StoredDeadLetterCounts | undefined;

  constructor(prom: PromClient, options: { processMetrics?: boolean } = {}) {
    const registry = new prom.Registry();
    this.registry = registry;
    if (options.processMetrics ?? true) prom.collectDefaultMetrics({ register: registry });
    this.#defineRouteCounters(prom);
    // Histograms on the hot path: observations cost array increments, not label hashing.
    this.#duration = new BucketHistogram({
      name: 'routemq_handler_duration_seconds',
      help: 'Duration of one attempt of a route (middleware and handler), in seconds.',
      labelName: 'route',
      buckets: DURATION_BUCKETS,
    });
    this.#duration.register(registry);
    const ackLag = new BucketHistogram({
      name: 'routemq_ack_lag_seconds',
      help: 'Time from the arrival of a QoS 1/2 message until its acknowledgement was released (acks still go out in arrival order), in seconds.',
      buckets: ACK_LAG_BUCKETS,
    });
    ackLag.register(registry);
    this.#ackLag = ackLag.series();
    this.#defineConnectionMetrics(prom);
    this.#batches = new BatchMetrics(prom, registry);
  }

  /** Declares routes up front, so their series exist (at 0) before the first message. */
  declareRoutes(handlers: Iterable<string>): void {
    for (const handler of handlers) this.#countersOf(handler);
  }

  forRoute(route: RouteInfo): RouteCounters {
    return this.#countersOf(route.handler);
  }

  forBatchRoute(route: RouteInfo): BatchObserver {
    return this.#batches.forRoute(route.handler);
  }

  unmatched(): void {
    this.#unmatched++;
  }

  connected(): void {
    this.#connected = true;
    this.#connections++;
  }

  disconnected(): void {
    if (this.#connected) this.#disconnects++;
    this.#connected = false;
  }

  /** The retry lane's hook: counts an envelope dropped unrun, by reason. */
  retryEnvelopeDropper(): (reason: string) => void {
    return (reason) => {
      this.#droppedEnvelopes[reason] = (this.#droppedEnvelopes[reason] ?? 0) + 1;
    };
  }

  /** Reads the dead letters kept per route from the store when scraped. */
  watchDeadLetters(counts: StoredDeadLetterCounts): void {
    this.#storedDeadLetters = counts;
  }

  /** Reads held messages/bytes and the oldest held ack from this transport when scraped. */
  watchTransport(gauges: TransportGauges): void {
    this.#transport = gauges;
  }

  acknowledged(lagMs: number): void {
    this.#ackLag.observe(lagMs / 1000);
  }

  limited(route: string, action: RateLimitAction): void {
    this.#countersOf(route).counts.rateLimited[action]++;
  }

  #countersOf(handler: string): RouteCounters {
    let counters = this.#routes.get(handler);
    if (!counters) {
      counters = new RouteCounters(handler, this.#duration.series(handler));
      this.#routes.set(handler, counters);
    }
    return counters;
  }

  #defineRouteCounters(prom: PromClient): void {
    const perRoute = (name: string, help: string, read: Read): void => {
      const routes = this.#routes;
      new prom.Counter({
        name,
        help,
        labelNames: ['route'],
        registers: [this.registry],
        collect(this: Counter<'route'>) {
          this.reset();
          for (const counters of routes.values()) this.inc({ route: counters.route }, read(counters.counts));
        },
      });
    };
    perRoute('routemq_messages_received_total', 'Messages a route took in.', (c) => c.received);
    perRoute(
      'routemq_messages_processed_total',
      'Messages a route processed without error.',
      (c) => c.processed,
    );
    perRoute(
      'routemq_messages_failed_total',
      'Messages that failed on a route after retries.',
      (c) => c.failed,
    );
    perRoute('routemq_messages_retried_total', 'Retry attempts (after a failed attempt).', (c) => c.retried);
    perRoute(
      'routemq_messages_dead_lettered_total',
      'Messages published to a dead-letter topic.',
      (c) => c.deadLettered,
    );
    this.#labelled(prom, 'routemq_messages_rejected_total', 'reason', (c) => c.rejected, {
      help: 'Messages refused before parsing (payload_too_large, json_too_complex).',
    });
    this.#labelled(prom, 'routemq_messages_rate_limited_total', 'action', (c) => c.rateLimited, {
      help: 'Messages over a rate limit (dropped, dead_lettered).',
    });
    const routes = this.#routes;
    new prom.Gauge({
      name: 'routemq_messages_in_flight',
      help: 'Attempts of a route running right now.',
      labelNames: ['route'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const counters of routes.values()) this.set({ route: counters.route }, counters.counts.inFlight);
      },
    });
  }

  /** A per-route counter with a second label whose values are the keys of a count record. */
  #labelled<L extends string>(
    prom: PromClient,
    name: string,
    label: L,
    read: (counts: RouteCounts) => Readonly<Record<string, number>>,
    { help }: { help: string },
  ): void {
    const routes = this.#routes;
    new prom.Counter({
      name,
      help,
      labelNames: ['route', label],
      registers: [this.registry],
      collect(this: Counter<'route' | L>) {
        this.reset();
        for (const counters of routes.values()) {
          for (const [value, count] of Object.entries(read(counters.counts))) {
            this.inc({ route: counters.route, [label]: value } as Record<'route' | L, string>, count);
          }
        }
      },
    });
  }

  /** What the transport holds (bounded by MAX_HELD_MESSAGES / MAX_HELD_BYTES) and how stale its acks are. */
  #defineIntakeGauges(prom: PromClient): void {
    const gauge = (name: string, help: string, read: (gauges: TransportGauges) => number): void => {
      const transport = (): TransportGauges | undefined => this.#transport;
      new prom.Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          const gauges = transport();
          this.set(gauges ? read(gauges) : 0);
        },
      });
    };
    gauge(
      'routemq_held_messages',
      'Messages taken in from the broker and not yet processed (the socket is not read past MAX_HELD_MESSAGES).',
      (g) => g.heldMessages(),
    );
    gauge(
      'routemq_held_bytes',
      'Payload and topic bytes of those messages (the socket is not read past MAX_HELD_BYTES).',
      (g) => g.heldBytes(),
    );
    gauge(
      'routemq_oldest_unacked_seconds',
      'Age of the oldest QoS 1/2 acknowledgement still held, in seconds (0 when none); /ready fails past READY_MAX_ACK_AGE_MS.',
      (g) => (g.oldestUnackedMs() ?? 0) / 1000,
    );
  }

  #defineConnectionMetrics(prom: PromClient): void {
    const read = () => ({
      connected: this.#connected,
      reconnects: Math.max(0, this.#connections - 1),
      disconnects: this.#disconnects,
      unmatched: this.#unmatched,
    });
    const registers = [this.registry];
    new prom.Gauge({
      name: 'routemq_broker_connected',
      help: '1 while the MQTT connection is up, else 0 (summed over workers by the supervisor).',
      registers,
      collect() {
        this.set(read().connected ? 1 : 0);
      },
    });
    const total = (name: string, help: string, key: 'reconnects' | 'disconnects' | 'unmatched') =>
      new prom.Counter({
        name,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(read()[key]);
        },
      });
    this.#defineIntakeGauges(prom);
    const dropped = this.#droppedEnvelopes;
    new prom.Counter({
      name: 'routemq_retry_envelopes_dropped_total',
      help: "Retry envelopes dropped without running: forged or foreign (unauthenticated), unknown route, attempt or delay out of range, topic not the route's.",
      labelNames: ['reason'],
      registers,
      collect() {
        this.reset();
        for (const [reason, count] of Object.entries(dropped)) this.inc({ reason }, count);
      },
    });
    defineStoredDeadLettersGauge(prom, registers[0], () => this.#storedDeadLetters);
    total('routemq_broker_reconnects_total', 'Connections re-established after a loss.', 'reconnects');
    total('routemq_broker_disconnects_total', 'MQTT connections lost.', 'disconnects');
    total('routemq_messages_unmatched_total', 'Messages that matched no route.', 'unmatched');
  }
}
