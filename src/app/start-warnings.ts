import type { Logger } from 'pino';
import type { RouteDefinition } from '../metadata/route-definition';
import type { Subscription } from '../routing/route-table';
import { BATCH_DEFAULTS, batchWindowOf, effectiveBatchSize, type BatchWindow } from './batch-binding';
import type { AppParts } from './application';
import type { BrokerConnection } from './broker-connection';
import { warnAboutOverlaps } from './overlap-warning';

/**
 * Says at start what this broker or process mode cannot do for the routes, instead of pretending:
 * no shared subscriptions (aedes), `workers` served in-process, overlapping filters without MQTT 5
 * subscription identifiers.
 */
export function warnAboutServingLimits(
  parts: AppParts,
  connection: BrokerConnection,
  subscriptions: readonly Subscription[],
): void {
  const { logger, definitions, mode } = parts;
  const { capabilities } = connection.transport;
  const shared = definitions.filter((d) => d.shared);
  if (!capabilities.sharedSubscriptions && shared.length > 0) {
    logger.warn(
      { routes: shared.map((d) => d.handlerName) },
      'the broker has no shared subscriptions (the embedded aedes broker): shared routes are served by this process alone. Set MQTT_BROKER to Mosquitto or EMQX to share the load.',
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
