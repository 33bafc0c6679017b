import type { Logger } from 'pino';
import type { RouteDefinition } from '../metadata/route-definition';
import type { Subscription } from '../routing/route-table';
import { BATCH_DEFAULTS, batchWindowOf, effectiveBatchSize, type BatchWindow } from './batch-binding';
import { missingFeatures } from '../transport/broker-capabilities';
import type { ProcessMode } from './process-mode';

/** What the warnings look at: the routes served, the process mode, the logger and the batch window. */
export interface ServingContext {
  readonly logger: Logger;
  readonly definitions: readonly RouteDefinition[];
  readonly mode: ProcessMode;
  readonly config: Parameters<typeof batchWindowOf>[0];
}
import type { BrokerConnection } from './broker-connection';
import { warnAboutOverlaps } from './overlap-warning';

/**
 * Says at start what this broker or process mode cannot do for the routes, instead of pretending:
 * the MQTT features the connection lacks, shared routes served by one process (no shared
 * subscriptions), QoS clamped to the broker's maximum, `workers` served in-process, and overlapping
 * filters without MQTT 5 subscription identifiers (docs/brokers.md).
 */
export function warnAboutServingLimits(
  parts: ServingContext,
  connection: BrokerConnection,
  subscriptions: readonly Subscription[],
): void {
  const { logger, definitions, mode } = parts;
  const { capabilities, description } = connection.transport;
  const off = missingFeatures(capabilities);
  if (capabilities.protocolVersion !== undefined) {
    const version = capabilities.protocolVersion === 5 ? 'MQTT 5' : 'MQTT 3.1.1';
    logger.info(
      { broker: description, protocol: version, capabilities, off },
      off.length === 0
        ? `${version}; every feature available`
        : `${version}; not available: ${off.join('; ')}`,
    );
  }
  warnAboutSharedRoutes(parts, connection);
  const maximum = capabilities.maximumQoS ?? 2;
  const clamped = definitions.filter((d) => d.qos > maximum);
  if (clamped.length > 0) {
    logger.warn(
      { routes: clamped.map((d) => `${d.handlerName} (qos ${d.qos})`), maximumQoS: maximum },
      `the broker accepts QoS ${maximum} at most: these routes subscribe and reply at QoS ${maximum}. Lower their qos to silence this.`,
    );
  }
  if (mode.kind === 'single' && mode.workersInProcess !== undefined) {
    const routes = definitions.filter((d) => d.workers > 1);
    logger.warn(
      {
        routes: routes.map((d) => `${d.handlerName} (workers: ${d.workers})`),
        reason: mode.workersInProcess,
      },
      `no worker processes (${mode.workersInProcess}): these routes run in this process, N messages at once`,
    );
  }
  if (!capabilities.subscriptionIdentifiers && !connection.embedded) warnAboutOverlaps(subscriptions, logger);
  warnAboutBatchSizes(definitions, batchWindowOf(parts.config), logger);
}

/** A QoS 1/2 batch larger than the in-flight window could never fill (docs/batching.md). */
function warnAboutBatchSizes(
  definitions: readonly RouteDefinition[],
  window: BatchWindow,
  logger: Logger,
): void {
  for (const route of definitions) {
    const asked = route.options.batch?.maxSize ?? BATCH_DEFAULTS.maxSize;
    const effective = effectiveBatchSize(route, window);
    if (route.options.batch === undefined || effective === asked) continue;
    logger.warn(
      { route: route.handlerName, maxSize: asked, ...window, effectiveMaxSize: effective },
      `${route.handlerName}: batch maxSize ${asked} is above what arrives before something is acknowledged (MQTT_RECEIVE_MAXIMUM ${window.window}, MAX_HELD_MESSAGES ${window.maxHeldMessages}); batches will hold at most ${effective} items`,
    );
  }
}

function warnAboutSharedRoutes(parts: ServingContext, connection: BrokerConnection): void {
  const { logger, definitions, mode } = parts;
  const shared = definitions.filter((d) => d.shared);
  if (connection.transport.capabilities.sharedSubscriptions || shared.length === 0) return;
  const why = connection.embedded
    ? 'the embedded aedes broker has none'
    : connection.transport.capabilities.protocolVersion === 4
      ? 'MQTT 3.1.1 has no standard for them; set MQTT_SHARED_SUBSCRIPTIONS=true if this broker supports $share'
      : 'the broker said so in CONNACK (Shared Subscription Available = 0)';
  const where =
    mode.kind === 'worker'
      ? 'worker 0 serves them, `workers` messages at once; the other workers leave them alone'
      : 'this process serves them alone, and every other process subscribed to them gets every message too';
  logger.warn(
    { routes: shared.map((d) => d.handlerName), reason: why },
    `no shared subscriptions (${why}): ${where}. See docs/brokers.md.`,
  );
}
