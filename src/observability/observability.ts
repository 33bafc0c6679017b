/**
 * The observability of one app, assembled from the configuration: tracing always (it costs one
 * property read per untraced message), Prometheus metrics and the HTTP endpoint when HTTP_PORT is set.
 * A worker process serves no endpoint: it answers its supervisor, which serves the merged view.
 * @module
 */
import type { Logger } from 'pino';
import type { DependencyContainer } from 'tsyringe';
import type { DispatchObserver } from '../pipeline/dispatch-observer';
import type { TransportObserver } from '../transport/mqtt-transport-options';
import { dependencyProbes } from './dependency-probes';
import { startHttpEndpoint, type EndpointHandlers, type HttpEndpoint } from './http-endpoint';
import { MessageTracer } from './message-tracer';
import { loadOtel, type OtelTracing } from './otel';
import { PrometheusMetrics, type PromClient } from './prometheus-metrics';
import { Readiness } from './readiness';
import { defineWorkerMetrics, supervisorHandlers, type SupervisedWorkers } from './supervisor-endpoint';
import { answerSupervisor } from './worker-channel';

/** What this process is, as far as observability goes. */
export type ObservedRole = 'single' | 'worker' | 'supervisor';

/** What {@link AppObservability} is built from. */
export interface ObservabilityOptions {
  /** HTTP_PORT (undefined: no metrics, no endpoint) and HTTP_HOST. */
  readonly httpPort?: number;
  readonly httpHost: string;
  /** READY_MAX_ACK_AGE_MS: /ready answers 503 while an ack has been held longer (default 60000). */
  readonly readyMaxAckAgeMs?: number;
  readonly role: ObservedRole;
  readonly logger: Logger;
  /** The app's container, after the integrations registered (readiness probes Redis and the database). */
  readonly container: DependencyContainer;
  /** Loads OpenTelemetry at start (tests pass their own). */
  readonly loadOtel?: () => OtelTracing | undefined;
}

/**
 * Metrics, readiness, the HTTP endpoint and trace propagation of one app; the app calls `start`,
 * `started`, `draining` and `stop` at the matching moments of its life.
 *
 * @example
 * ```ts
 * const observability = new AppObservability({ httpPort: 9464, httpHost: '0.0.0.0', role: 'single', logger, container });
 * await observability.start();
 * const dispatcher = new Dispatcher(table, { ...deps, observer: observability.dispatch });
 * ```
 */
export class AppObservability {
  /** The dispatcher's hooks: per-route metrics (with HTTP_PORT) and tracing. */
  readonly dispatch: DispatchObserver;
  /** The MQTT transport's hooks: connection state for readiness, and metrics. */
  readonly transport: TransportObserver;
  /** The Prometheus metrics, when HTTP_PORT is set. */
  readonly metrics: PrometheusMetrics | undefined;
  readonly readiness: Readiness;
  readonly #prom: PromClient | undefined;
  #tracer = new MessageTracer();
  #endpoint: HttpEndpoint | undefined;
  #detach: (() => void) | undefined;
  #supervised: SupervisedWorkers | undefined;
  #draining = false;

  constructor(private readonly options: ObservabilityOptions) {
    this.#prom = options.httpPort === undefined ? undefined : loadPromClient();
    const metrics = this.#prom && new PrometheusMetrics(this.#prom);
    this.metrics = metrics;
    if (metrics && options.role === 'supervisor') {
      defineWorkerMetrics(this.#prom as PromClient, metrics.registry, () => this.#supervised?.workers ?? []);
    }
    const readiness = new Readiness([], options.readyMaxAckAgeMs);
    this.readiness = readiness;
    this.dispatch = {
      forRoute: metrics && ((route) => metrics.forRoute(route)),
      forBatchRoute: metrics && ((route) => metrics.forBatchRoute(route)),
      unmatched: metrics && (() => metrics.unmatched()),
      traces: (message) => this.#tracer.traces(message),
      trace: (message, route, logger, run) => this.#tracer.trace(message, route, logger, run),
    };
    this.transport = {
      connected: () => {
        readiness.brokerConnected(true);
        metrics?.connected();
      },
      disconnected: () => {
        readiness.brokerConnected(false);
        metrics?.disconnected();
      },
      acknowledged: metrics && ((lagMs) => metrics.acknowledged(lagMs)),
      attach: (gauges) => {
        readiness.watchAcks(() => gauges.oldestUnackedMs());
        metrics?.watchTransport(gauges);
      },
    };
  }

  /** The port of the HTTP endpoint once started (the chosen one with HTTP_PORT=0). */
  get port(): number | undefined {
    return this.#endpoint?.port;
  }

  /** Loads OpenTelemetry (if an SDK is registered by now), opens the endpoint or the worker channel. */
  async start(): Promise<void> {
    this.#tracer = new MessageTracer((this.options.loadOtel ?? loadOtel)());
    const { httpPort, httpHost, role, logger } = this.options;
    // Now, not at creation: the modules' and createApp's providers (a REDIS of the user's) are in.
    if (role !== 'supervisor') this.readiness.watch(dependencyProbes(this.options.container));
    const metrics = this.metrics;
    if (httpPort === undefined || !metrics) return;
    if (role === 'worker') {
      this.#detach = answerSupervisor({
        metrics: () => metrics.registry.getMetricsAsJSON(),
        ready: () => this.readiness.check(),
      });
      return;
    }
    this.#endpoint = await startHttpEndpoint(httpHost, httpPort, this.#handlers(metrics));
    logger.info(
      { port: this.#endpoint.port },
      `HTTP endpoint on ${httpHost}:${this.#endpoint.port}: /metrics, /health, /ready`,
    );
  }

  /** A supervisor's workers run: its endpoint serves their merged metrics and readiness. */
  serveWorkers(workers: SupervisedWorkers): void {
    this.#supervised = workers;
  }

  /** Connected and subscribed: ready (when the dependencies are). */
  started(routes: Iterable<string>): void {
    this.metrics?.declareRoutes(routes);
    this.readiness.started();
  }

  /** Stopping: not ready any more. */
  draining(): void {
    this.#draining = true;
    this.readiness.draining();
  }

  async stop(): Promise<void> {
    this.#detach?.();
    this.#detach = undefined;
    const endpoint = this.#endpoint;
    this.#endpoint = undefined;
    await endpoint?.close();
  }

  #handlers(metrics: PrometheusMetrics): EndpointHandlers {
    if (this.options.role === 'supervisor') {
      return supervisorHandlers(
        this.#prom as PromClient,
        metrics.registry,
        () => this.#supervised,
        () => this.#draining,
      );
    }
    return {
      metrics: async () => ({
        contentType: metrics.registry.contentType,
        body: await metrics.registry.metrics(),
      }),
      ready: () => this.readiness.check(),
    };
  }
}

/** prom-client (~15 ms to load) is required only by apps that expose metrics. */
function loadPromClient(): PromClient {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('prom-client') as PromClient;
}
