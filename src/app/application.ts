import type { Logger } from 'pino';
import type { DependencyContainer } from 'tsyringe';
import { RouteMQError } from '../errors';
import type { RouteDefinition } from '../metadata/route-definition';
import { BatchSet } from '../batch/batch-set';
import { batchWindowOf } from './batch-binding';
import { Dispatcher } from '../pipeline/dispatcher';
import type { RouteOutcome } from '../pipeline/route-outcome';
import { createDispatchStats, type DispatchStats } from '../pipeline/dispatch-stats';
import type { InboundMessage, Transport } from '../transport/transport';
import type { ExecutableRoute } from '../pipeline/executable-route';
import type { MqttPublisher } from '../transport/publisher';
import { openBrokerConnection, type BrokerConnection } from './broker-connection';
import { buildRouteTable, subscriptionTopicOf } from './build-route-table';
import type { AppConfig } from './config';
import { describeRoutes, formatRouteLine, type RouteDescription } from './route-description';
import type { TransportSlot } from './transport-slot';
import { drainIntegrations, startIntegrations, stopIntegrations, type Integration } from './integration';
import { warnAboutServingLimits } from './start-warnings';
import { RetryLane } from '../retry/retry-lane';
import { routesForBroker, type ServedRoutes } from './shared-route-fallback';
import { deferred } from './deferred';
import type { RouteTable } from '../routing/route-table';
import { randomBytes } from 'node:crypto';

/**
 * The retry envelopes' key when RETRY_SECRET is unset: random, so it holds for this process only;
 * envelopes still waiting when it restarts are then dropped (docs/reliability.md).
 */
const PROCESS_RETRY_SECRET = randomBytes(32).toString('hex');
import type { ProcessMode } from './process-mode';
import { startSupervisor } from './supervisor-mode';
import { isCliInspection } from './cli-inspection';
import type { Supervisor, WorkerStatus } from '../workers/supervisor';
import { WORKER_READY } from '../workers/supervisor';
import type { AppObservability } from '../observability/observability';
import type { DeadLetterSink } from '../pipeline/dead-letter';
import { DEAD_LETTER_SINK } from '../dead-letters/dead-letter-integration';

/** What createApp assembled; the app only runs it. */
export interface AppParts {
  readonly config: AppConfig;
  readonly logger: Logger;
  readonly container: DependencyContainer;
  readonly definitions: readonly RouteDefinition[];
  readonly executables: readonly ExecutableRoute[];
  readonly slot: TransportSlot;
  readonly publisher: MqttPublisher;
  /** Single process, worker, or supervisor of workers (process-mode.ts). */
  readonly mode: ProcessMode;
  /** Services started before the broker connection and stopped after it, in reverse order. */
  readonly integrations: readonly Integration[];
  /** The script worker processes run (default: this process's entry, `process.argv[1]`). */
  readonly workerEntry?: string;
  /** Opens the broker connection at start (default: from the configuration). */
  readonly openConnection?: () => Promise<BrokerConnection>;
  /** Metrics, readiness, the HTTP endpoint (HTTP_PORT) and tracing (docs/operations.md). */
  readonly observability?: AppObservability;
}

type State = 'created' | 'starting' | 'started' | 'stopping' | 'stopped';

/**
 * A RouteMQ application: created by {@link createApp}, started and stopped by the user.
 *
 * @example
 * ```ts
 * const app = await createApp(AppModule);
 * await app.start();
 * app.enableShutdownHooks(); // SIGINT/SIGTERM drain in-flight handlers, then exit
 * ```
 */
export class RouteMQApp {
  #state: State = 'created';
  #connection: BrokerConnection | undefined;
  #dispatcher: Dispatcher | undefined;
  #stopping: Promise<boolean> | undefined;
  #supervisor: Supervisor | undefined;
  #ownsProcess = false;
  #retryLane: RetryLane | undefined;
  #table: RouteTable<ExecutableRoute> | undefined;
  /** The routes this process serves: all it was given, less what the broker cannot share (routesForBroker). */
  #served: ServedRoutes;

  constructor(private readonly parts: AppParts) {
    this.#served = { definitions: parts.definitions, executables: parts.executables };
  }

  get config(): AppConfig {
    return this.parts.config;
  }
  get logger(): Logger {
    return this.parts.logger;
  }
  /** The app's tsyringe container (resolve services from it in scripts and tests). */
  get container(): DependencyContainer {
    return this.parts.container;
  }
  /** Port of the embedded broker when one was started, else undefined. */
  get embeddedBrokerPort(): number | undefined {
    return this.#connection?.embedded?.port;
  }
  /** What the dispatcher did since start: received, processed, failed, retried, dead-lettered... */
  get stats(): DispatchStats {
    return this.#dispatcher?.stats ?? createDispatchStats();
  }

  /** Port of the HTTP endpoint (/metrics, /health, /ready) once started; undefined without HTTP_PORT. */
  get httpPort(): number | undefined {
    return this.parts.observability?.port;
  }

  /** The worker processes when this process supervises them (pid, state, restarts, routes). */
  get workers(): WorkerStatus[] {
    return this.#supervisor?.workers ?? [];
  }

  /** The route table as people read it. */
  get routes(): RouteDescription[] {
    const shared = this.#connection?.transport.capabilities.sharedSubscriptions ?? true;
    return describeRoutes(this.#served.definitions, (d) =>
      subscriptionTopicOf(d, this.config.sharePrefix, shared),
    );
  }

  /** Connects (starting the embedded broker when MQTT_BROKER is unset), subscribes, logs the routes. */
  async start(): Promise<void> {
    if (this.#state !== 'created') {
      throw new RouteMQError(
        'ERR_APP_STATE',
        `start() called on an app that is ${this.#state}; create a new app instead.`,
      );
    }
    if (isCliInspection()) {
      // Loaded by `routemq routes|asyncapi|console` (an entry that starts at top level): never connect.
      this.logger.debug('loaded by the routemq CLI: not starting');
      return;
    }
    this.#state = 'starting';
    const observability = this.parts.observability;
    try {
      // First: /health answers (and /ready says no) while the rest starts.
      await observability?.start();
      const mode = this.parts.mode;
      if (mode.kind === 'supervisor') {
        const { logger, workerEntry, config } = this.parts;
        const supervising = { logger, workerEntry, shutdownTimeoutMs: config.shutdownTimeoutMs };
        this.#supervisor = await startSupervisor(mode, supervising, () => this.#allWorkersFailed());
        observability?.serveWorkers(this.#supervisor);
      } else {
        await startIntegrations(this.parts.integrations, this.logger);
        await this.#connectAndSubscribe();
        if (mode.kind === 'worker') process.send?.({ type: WORKER_READY, index: mode.identity.index });
      }
      this.#state = 'started';
    } catch (error) {
      await this.#closeConnection();
      await stopIntegrations(this.parts.integrations, this.logger);
      await observability?.stop();
      this.#state = 'stopped';
      throw error;
    }
  }

  /**
   * Starts Redis and the database and connects `transport` for publishing, without subscribing: the
   * app's services and MqttPublisher work, and no message is received (`routemq console`, scripts).
   * `stop()` closes it all.
   */
  async openWithoutSubscribing(transport: Transport): Promise<void> {
    if (this.#state !== 'created') {
      throw new RouteMQError(
        'ERR_APP_STATE',
        `openWithoutSubscribing() needs a new app (it is ${this.#state}).`,
      );
    }
    this.#state = 'starting';
    try {
      await startIntegrations(this.parts.integrations, this.logger);
      this.#connection = { transport };
      await transport.connect(() => Promise.resolve());
      this.parts.slot.attach(transport);
      this.#state = 'started';
    } catch (error) {
      await this.#closeConnection();
      await stopIntegrations(this.parts.integrations, this.logger);
      this.#state = 'stopped';
      throw error;
    }
  }

  /**
   * Stops taking messages and jobs, waits for in-flight handlers and running jobs (up to
   * SHUTDOWN_TIMEOUT_MS), then disconnects.
   * Resolves true when everything in flight finished; false when the bound cut it short (those
   * messages stay unacknowledged and are redelivered, not lost).
   */
  stop(): Promise<boolean> {
    this.#stopping ??= this.#stopNow();
    return this.#stopping;
  }

  /**
   * Runs one message through the route table as if the broker had delivered it; resolves with what each
   * matching route did. For tests and tools (`routemq/testing` builds on it).
   */
  dispatch(message: InboundMessage): Promise<RouteOutcome[]> {
    if (!this.#dispatcher || this.#state !== 'started') {
      throw new RouteMQError(
        'ERR_APP_STATE',
        `dispatch() needs a started app (it is ${this.#state}); await app.start() first.`,
      );
    }
    return this.#dispatcher.dispatch(message).then((outcomes) => outcomes ?? []);
  }

  /**
   * Hands every pending batch to its handler now and resolves when nothing is in flight: batch routes'
   * items and every other message dispatched so far. For tests (`testApp.flush()`) and tools.
   */
  async flushBatches(): Promise<void> {
    await this.#dispatcher?.flushBatches();
  }

  /** On SIGINT/SIGTERM: stop(), then exit 0 (or 1 when in-flight work could not finish in time). */
  enableShutdownHooks(signals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM']): this {
    this.#ownsProcess = true;
    for (const signal of signals) {
      process.once(signal, () => {
        this.logger.info({ signal }, 'shutting down: draining in-flight messages');
        this.stop().then(
          (drained) => process.exit(drained ? 0 : 1),
          (error: unknown) => {
            this.logger.error({ err: error }, 'shutdown failed');
            process.exit(1);
          },
        );
      });
    }
    return this;
  }

  /**
   * Connects first, then builds the route table for what the broker turned out to support (protocol
   * version, shared subscriptions, subscription identifiers, QoS: docs/brokers.md). Deliveries that
   * arrive in between (a persistent session's queue) wait for the dispatcher; their acks wait with them.
   */
  async #connectAndSubscribe(): Promise<void> {
    const { config, logger } = this.parts;
    const mode = this.parts.mode;
    const clientId = mode.kind === 'worker' ? mode.identity.clientId : undefined;
    const observability = this.parts.observability;
    const open =
      this.parts.openConnection ??
      (() => openBrokerConnection(config, logger, clientId, observability?.transport));
    const connection = await open();
    this.#connection = connection;
    const { transport } = connection;
    this.parts.slot.attach(transport);
    const ready = deferred<Dispatcher>();
    // Until the table exists a delivery waits; should start fail, it is withheld (redelivered), not lost.
    await transport.connect((message) =>
      ready.promise.then(
        (d) => d.handle(message),
        () => 'withhold',
      ),
    );
    try {
      const dispatcher = await this.#buildDispatcher(connection);
      ready.resolve(dispatcher);
    } catch (error) {
      ready.reject(error);
      throw error;
    }
    const subscriptions = this.#table?.subscriptions ?? [];
    await transport.subscribe(subscriptions.map((s) => ({ topic: s.topic, qos: s.qos, id: s.id })));
    const served = this.#served.definitions;
    observability?.started(served.map((d) => d.handlerName));
    logger.info(
      { broker: transport.description, routes: served.length },
      `connected; serving ${served.length} routes`,
    );
    for (const route of this.routes) logger.info({ route: route.handler }, `route ${formatRouteLine(route)}`);
  }

  async #buildDispatcher(connection: BrokerConnection): Promise<Dispatcher> {
    const { config, logger } = this.parts;
    const { capabilities } = connection.transport;
    const shared = capabilities.sharedSubscriptions;
    this.#served = routesForBroker(this.#served, this.parts.mode, shared);
    const { definitions, executables } = this.#served;
    const table = buildRouteTable(definitions, executables, config.sharePrefix, shared);
    this.#table = table;
    warnAboutServingLimits({ ...this.parts, definitions }, connection, table.subscriptions);
    const dispatcher = new Dispatcher(table, {
      logger,
      publish: (topic, payload, options) => this.parts.publisher.publish(topic, payload, options),
      useSubscriptionIds: capabilities.subscriptionIdentifiers,
      routes: executables,
      observer: this.parts.observability?.dispatch,
      jsonLimits: { maxDepth: config.maxJsonDepth, maxKeys: config.maxJsonKeys },
      batches: BatchSet.of(executables, {
        logger,
        ...batchWindowOf(config),
        observer: this.parts.observability?.dispatch,
      }),
      deadLetters: this.#deadLetterSink(),
    });
    this.#dispatcher = dispatcher;
    this.#retryLane = await this.#openRetryLane(connection, dispatcher);
    return dispatcher;
  }

  /** The store-then-topic keeper of dead letters, when the integrations registered one. */
  #deadLetterSink(): DeadLetterSink | undefined {
    const { container } = this.parts;
    return container.isRegistered(DEAD_LETTER_SINK)
      ? container.resolve<DeadLetterSink>(DEAD_LETTER_SINK)
      : undefined;
  }

  /** The second session retries go through (not with a test transport: those retry in-process). */
  async #openRetryLane(connection: BrokerConnection, dispatcher: Dispatcher): Promise<RetryLane | undefined> {
    if (!connection.openSibling) return undefined;
    const { mode, config, logger } = this.parts;
    const processId =
      mode.kind === 'worker' ? mode.identity.clientId : (config.clientId ?? `pid-${process.pid}`);
    return RetryLane.open({
      transport: connection.openSibling('retry'),
      processId,
      routes: this.parts.executables,
      target: dispatcher,
      logger: logger.child({ component: 'retry-lane' }),
      secret: config.retrySecret ?? PROCESS_RETRY_SECRET,
      dropped: this.parts.observability?.metrics?.retryEnvelopeDropper(),
    });
  }

  async #stopNow(): Promise<boolean> {
    if (this.#state === 'created' || this.#state === 'stopped') {
      this.#state = 'stopped';
      return true;
    }
    this.#state = 'stopping';
    // Not ready from now on, so that a load balancer or Kubernetes stops sending work here.
    this.parts.observability?.draining();
    if (this.#supervisor) {
      const clean = await this.#supervisor.stop();
      await this.parts.observability?.stop();
      this.#state = 'stopped';
      this.logger.info({ workers: this.#supervisor.workers }, 'supervisor stopped');
      return clean;
    }
    const dispatcher = this.#dispatcher;
    dispatcher?.stopIntake();
    this.#retryLane?.stopIntake();
    // Job workers stop taking jobs at once and finish theirs while the handlers finish: both may still
    // publish, so the broker connection closes only after them.
    const timeoutMs = this.config.shutdownTimeoutMs;
    const [handlersDrained, jobsDrained] = await Promise.all([
      dispatcher ? dispatcher.drain(timeoutMs) : true,
      drainIntegrations(this.parts.integrations, timeoutMs),
    ]);
    const drained = handlersDrained && jobsDrained;
    if (!handlersDrained) {
      this.logger.warn(
        { inFlight: dispatcher?.inFlight, timeoutMs: this.config.shutdownTimeoutMs },
        'in-flight handlers did not finish in time; their messages stay unacknowledged for redelivery',
      );
    }
    // Past the bound, close at once: the acks of unfinished messages must not go out (redelivery).
    await this.#closeConnection(handlersDrained ? undefined : 0);
    await stopIntegrations(this.parts.integrations, this.logger);
    await this.parts.observability?.stop();
    this.#state = 'stopped';
    this.logger.info({ stats: dispatcher?.stats }, 'stopped');
    return drained;
  }

  /** Every worker slot crash-looped: nothing serves the routes, so the process should end (non-zero). */
  #allWorkersFailed(): void {
    this.logger.fatal('every worker process is crash-looping; stopping the app');
    process.exitCode = 1;
    void this.stop().then(() => {
      if (this.#ownsProcess) process.exit(1);
    });
  }

  async #closeConnection(timeoutMs?: number): Promise<void> {
    const connection = this.#connection;
    this.#connection = undefined;
    this.parts.slot.attach(undefined);
    const lane = this.#retryLane;
    this.#retryLane = undefined;
    if (!connection) return;
    await connection.transport.close({ timeoutMs });
    await lane?.close(timeoutMs);
    await connection.embedded?.close();
  }
}
