import type { Logger } from 'pino';
import type { Subscription } from '../routing/route-table';
import { filtersOverlap } from '../routing/topic-filter';

/**
 * Warns about overlapping subscriptions when deliveries carry no subscription identifiers (MQTT 3.1.1
 * against an external broker): Mosquitto then sends one copy per matching subscription, and every
 * matching route runs once per copy (docs/routing.md). MQTT 5 (the default) avoids it.
 */
export function warnAboutOverlaps(subscriptions: readonly Subscription[], logger: Logger): void {
  const pairs: string[] = [];
  for (let i = 0; i < subscriptions.length; i++) {
    for (let j = i + 1; j < subscriptions.length; j++) {
      if (filtersOverlap(subscriptions[i].filter, subscriptions[j].filter)) {
        pairs.push(`${subscriptions[i].topic} & ${subscriptions[j].topic}`);
      }
    }
  }
  if (pairs.length === 0) return;
  logger.warn(
    { overlapping: pairs },
    'overlapping subscriptions without MQTT 5 subscription identifiers: a broker that sends one copy per subscription (Mosquitto) runs the matching routes once per copy. Use MQTT_PROTOCOL_VERSION=5.',
  );
}
