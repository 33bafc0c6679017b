import type { Logger } from 'pino';
import { container as globalContainer, type DependencyContainer } from 'tsyringe';
import { APP_CONFIG, LOGGER } from '../container/tokens';
import type { Class } from '../metadata/types';
import type { MiddlewareClass } from '../pipeline/middleware';
import { MqttPublisher } from '../transport/publisher';
import type { Transport } from '../transport/transport';
import { RouteMQApp } from './application';
import type { BrokerConnection } from './broker-connection';
import { loadConfig, type AppConfig, type ConfigOverrides } from './config';
import { readEnvironment } from './env';
import { createRootLogger } from './logger';
import { flattenModule, type Provider } from './module';
import { registerProviders } from './providers';
import { bindRoutes } from './route-binding';
import { logDtoValidation } from './dto-validation-log';
import type { DtoValidationReport } from '../validation/compiled-validator';
import { TransportSlot } from './transport-slot';
import { chooseProcessMode, routesServedIn } from './process-mode';
import { createIntegrations } from './integrations';
import { scanModuleRoutes } from './scan-module';
import type { Integration } from './integration';
import { DeadLetterIntegration } from '../dead-letters/dead-letter-integration';
import { AppObservability } from '../observability/observability';
import { TracingTransport } from '../observability/tracing-transport';
import { RATE_LIMIT_EVENTS } from '../middleware/rate-limit-events';
import { registerRateLimitStore } from '../middleware/rate-limit';
import type { BootContext } from '../integrations/missing-integration-hint';
import { checkBoot } from './boot-checks';
import { bindJobs, createJobsIntegration, type JobsAppOptions } from '../jobs/app-jobs';
import { noteRootModule } from './cli-inspection';
import { defineJobMetrics } from '../jobs/job-metrics';
import type { PromClient } from '../observability/prometheus-metrics';

/**
 * Options of {@link createApp}: any configuration field (overriding its environment variable), plus
 * wiring that tests and embedding applications need.
 */
export interface AppOptions extends ConfigOverrides {
  /** Environment to read instead of `process.env` + `.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Root logger to use instead of one built from LOG_LEVEL. */
  logger?: Logger;
  /** Middleware run first on every route of the app. */
  middleware?: MiddlewareClass[];
  /** Providers registered after the modules' ones, so they override them (fakes in tests). */
  providers?: Provider[];
  /** Connect through this transport instead of MQTT_BROKER / the embedded broker. */
  transport?: Transport;
  /**
   * Fork worker processes for routes with `workers: N` (default true; needs MQTT_BROKER). With false,
   * such routes run in this process with concurrency N.
   */
  supervise?: boolean;
  /** Background jobs: `only` (no routes, what `routemq work` runs), `queues`, `manual` (tests). */
  jobs?: JobsAppOptions;
}

/**
 * Builds an app from its root module: reads the configuration, scans the controllers, checks every
 * route and dependency (all problems reported in one error), and resolves controllers and middleware.
 * Nothing connects until `app.start()`.
 *
 * @example
 * ```ts
 * import 'reflect-metadata';
 * import { createApp } from 'routemq';
 * const app = await createApp(AppModule);
 * await app.start();
 * app.enableShutdownHooks();
 * ```
 */
export async function createApp(rootModule: Class, options: AppOptions = {}): Promise<RouteMQApp> {
  return buildApp(rootModule, options, 'app');
}

/**
 * createApp, told who is building: a test app ignores the environment, so its boot errors suggest
 * options and providers instead of variables. Internal (createTestApp); not exported from the package.
 */
export async function buildApp(
  rootModule: Class,
  options: AppOptions,
  context: BootContext,
): Promise<RouteMQApp> {
  const {
    env,
    logger: givenLogger,
    middleware = [],
    providers = [],
    transport,
    supervise,
    jobs: jobsOptions = {},
    ...overrides
  } = options;
  noteRootModule(rootModule);
  const config = jobWorkerConfig(loadConfig(env ?? readEnvironment(), overrides), jobsOptions);
  const logger = givenLogger ?? createRootLogger(config);
  const flat = flattenModule(rootModule);
  const definitions = scanModuleRoutes(flat, middleware, {
    defaultGroup: config.groupName,
    defaultWorkers: config.workerCount,
  });
  const mode = chooseProcessMode(jobsOptions.only ? [] : definitions, config, {
    supervise,
    customTransport: !!transport,
    env: process.env,
  });
  const served = jobsOptions.only ? [] : routesServedIn(mode, definitions);
  const slot = new TransportSlot();
  // Publishes made while a traced message is handled carry its traceparent (docs/operations.md).
  const publisher = new MqttPublisher(new TracingTransport(slot));
  const container = createAppContainer(config, logger, publisher);
  const ownsSchema = mode.kind !== 'worker' || mode.identity.index === 0;
  const integrations = createIntegrations(config, flat, ownsSchema);
  const supervisor = mode.kind === 'supervisor';
  const jobs = createJobsIntegration(flat.jobs, config, { ...jobsOptions, supervisor }, logger);
  if (jobs) integrations.push(jobs);
  for (const integration of integrations) integration.register(container, logger);
  const observability = new AppObservability({ ...config, role: mode.kind, logger, container });
  if (observability.metrics) container.register(RATE_LIMIT_EVENTS, { useValue: observability.metrics });
  if (observability.metrics && jobs) {
    const reportQueues = mode.kind !== 'worker' || mode.identity.index === 0;
    defineJobMetrics(loadPromClient(), observability.metrics.registry, jobs, reportQueues);
  }
  // One process reports the shared store, or the supervisor's merged view would count it per worker.
  if (ownsSchema) watchDeadLetters(integrations, observability);
  registerRateLimitStore(container);
  registerProviders(container, flat.providers);
  registerProviders(container, providers);
  const workersInProcess = mode.kind === 'single' && mode.workersInProcess !== undefined;
  checkBoot(served, [...flat.providers, ...providers], container, context, flat.jobs);
  if (jobs) bindJobs(jobs, container);
  const dtoReports: DtoValidationReport[] = [];
  const executables = bindRoutes(served, container, { ...config, workersInProcess }, (r) =>
    dtoReports.push(r),
  );
  logDtoValidation(logger, dtoReports);
  const openConnection = transport ? async (): Promise<BrokerConnection> => ({ transport }) : undefined;
  return new RouteMQApp({
    config,
    logger,
    container,
    definitions: served,
    executables,
    mode,
    slot,
    publisher,
    integrations,
    openConnection,
    observability,
  });
}

/** Stored dead letters per route, as a gauge (with HTTP_PORT). */
function watchDeadLetters(integrations: readonly Integration[], observability: AppObservability): void {
  const deadLetters = integrations.find(
    (i): i is DeadLetterIntegration => i instanceof DeadLetterIntegration,
  );
  observability.metrics?.watchDeadLetters(async () => (await deadLetters?.store?.countByRoute()) ?? {});
}

function createAppContainer(
  config: AppConfig,
  logger: Logger,
  publisher: MqttPublisher,
): DependencyContainer {
  // A child of tsyringe's global container: classes registered globally (@registry, @singleton) still
  // resolve, while this app's registrations stay its own (two apps in one process do not collide).
  const container = globalContainer.createChildContainer();
  container.register(APP_CONFIG, { useValue: config });
  container.register(LOGGER, { useValue: logger });
  container.register(MqttPublisher, { useValue: publisher });
  return container;
}

/**
 * A jobs-only process publishes (jobs may) but has no routes: with MQTT_BROKER unset it connects to the
 * app's embedded broker on this machine instead of starting a second one on the same port.
 */
function jobWorkerConfig(config: AppConfig, jobs: JobsAppOptions): AppConfig {
  if (!jobs.only || config.broker !== undefined) return config;
  return Object.freeze({ ...config, broker: `mqtt://127.0.0.1:${config.port}` });
}

/** prom-client is loaded already when metrics are on (HTTP_PORT set). */
function loadPromClient(): PromClient {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('prom-client') as PromClient;
}
