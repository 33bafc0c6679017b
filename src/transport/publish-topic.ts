/**
 * The one check every publish path runs before a byte goes out.
 * @module
 */
import { RouteMQError } from '../errors';
import { publishTopicProblem } from '../routing/topic-filter';

/**
 * Throws ERR_PUBLISH_TOPIC_INVALID when `topic` cannot be used in a PUBLISH. Mosquitto drops the whole
 * connection for a topic holding `+`, `#` or NUL [MQTT-3.3.2-2], and mqtt.js would re-send such a QoS 1
 * message on every reconnect (a poison publish that loops the connection), so it must be
 * refused here, before the client stores it.
 *
 * @example
 * ```ts
 * assertPublishTopic(`alerts/${deviceId}`); // throws if deviceId was "+" or "a/#"
 * ```
 */
export function assertPublishTopic(topic: string): void {
  const problem = publishTopicProblem(topic);
  if (problem === undefined) return;
  throw new RouteMQError(
    'ERR_PUBLISH_TOPIC_INVALID',
    `Cannot publish to ${JSON.stringify(topic)}: ${problem}. ` +
      'Build publish topics from validated values: a topic parameter must not be empty or hold +, # or NUL.',
  );
}
