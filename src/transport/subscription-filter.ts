/**
 * Parsing and validation of SUBSCRIBE topic filters, share prefix included, for the in-memory broker.
 * @module
 */

/** A SUBSCRIBE topic filter split into its share group (if any) and the filter proper. */
export interface ParsedFilter {
  /** The filter the topic is matched against (`sensors/+/data`). */
  readonly filter: string;
  /**
   * The share name of a `$share/<group>/<filter>` subscription (MQTT 5.0 section 4.8.2); `$queue` for
   * EMQX's `$queue/<filter>`, which is one share group of its own.
   */
  readonly group?: string;
}

const SHARE_PREFIX = '$share/';
const QUEUE_PREFIX = '$queue/';

/**
 * Splits `$share/<group>/<filter>` into group and filter, and `$queue/<filter>` (EMQX) into the group
 * `$queue` and the filter; any other filter has no group.
 *
 * @example
 * ```ts
 * parseSubscriptionFilter('$share/workers/sensors/#'); // { group: 'workers', filter: 'sensors/#' }
 * parseSubscriptionFilter('$queue/sensors/#'); // { group: '$queue', filter: 'sensors/#' }
 * ```
 */
export function parseSubscriptionFilter(topic: string): ParsedFilter {
  if (topic.startsWith(QUEUE_PREFIX)) return { group: '$queue', filter: topic.slice(QUEUE_PREFIX.length) };
  if (!topic.startsWith(SHARE_PREFIX)) return { filter: topic };
  const rest = topic.slice(SHARE_PREFIX.length);
  const slash = rest.indexOf('/');
  if (slash < 0) return { group: rest, filter: '' };
  return { group: rest.slice(0, slash), filter: rest.slice(slash + 1) };
}

/**
 * Why a SUBSCRIBE topic filter is malformed, or undefined when it is valid: `#` only as the last whole
 * level [MQTT-4.7.1-1], `+` only as a whole level [MQTT-4.7.1-2], no NUL [MQTT-4.7.3-2], and a share
 * name that is non-empty and free of `+`, `#` and `/` followed by a non-empty filter [MQTT-4.8.2-1/2].
 *
 * @example
 * ```ts
 * subscriptionFilterProblem('a/#/b'); // '"#" must be the last level ...'
 * ```
 */
export function subscriptionFilterProblem(topic: string): string | undefined {
  const { filter, group } = parseSubscriptionFilter(topic);
  if (group !== undefined && group !== '$queue' && (group.length === 0 || /[+#]/.test(group))) {
    return 'a share name must be non-empty and hold neither + nor # [MQTT-4.8.2-1]';
  }
  if (filter.length === 0) return 'the topic filter is empty [MQTT-4.7.3-1]';
  if (filter.includes('\u0000')) return 'the topic filter holds a NUL character [MQTT-4.7.3-2]';
  const levels = filter.split('/');
  for (const [index, level] of levels.entries()) {
    if (level.includes('#') && (level !== '#' || index !== levels.length - 1)) {
      return '"#" must be the last level, alone in it [MQTT-4.7.1-1]';
    }
    if (level.includes('+') && level !== '+') return '"+" must fill a whole level [MQTT-4.7.1-2]';
  }
  return undefined;
}
